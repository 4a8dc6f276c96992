namespace Linli.Bench;

public static class Search
{
    public static Task<string> RunAsync(Options o, string work, CancellationToken ct) => throw new NotImplementedException();
}
