using System.Globalization;
using System.Runtime.InteropServices;

namespace Linli.Bench;

// dotnet run --project bench/Linli.Bench -c Release -- <coldstart|pages|generate|search|import|intake|metrics> [options]   (see bench/README.md)
// (A class in our namespace, not top-level statements: Linli.Web, referenced for the generator, has its own Program.)
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        Options options;
        try
        {
            options = Options.Parse(args);
            if (options.Flag("help") || options.Scenario.Length == 0)
            {
                Console.WriteLine(Options.Usage);
                return options.Flag("help") ? 0 : 2;
            }
            if (options.Scenario is not ("coldstart" or "pages" or "generate" or "search" or "import" or "intake" or "metrics")) throw new UsageException($"unknown scenario '{options.Scenario}'");
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Options.Usage);
            return 2;
        }

        // Ctrl+C, SIGTERM and SIGHUP cancel the run; the finally blocks stop the app. Process exit kills what is left.
        using var cts = new CancellationTokenSource();
        var signals = new List<PosixSignalRegistration>();
        foreach (var sig in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            signals.Add(PosixSignalRegistration.Create(sig, ctx =>
            {
                if (cts.IsCancellationRequested) return; // a second signal: let the runtime end the process (ProcessExit still runs)
                ctx.Cancel = true;
                Log.Line($"{ctx.Signal}: stopping");
                cts.Cancel();
            }));
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Children.KillAll();

        var work = Path.Combine(Path.GetTempPath(), $"linli-bench-{options.Scenario}-{DateTime.UtcNow:yyyyMMddHHmmss}-{Environment.ProcessId}");
        Directory.CreateDirectory(work);
        Log.Line($"scenario {options.Scenario}; work folder {work}; {Environment.ProcessorCount} cores; .NET {Environment.Version}");
        var failed = true;
        string resultLine;
        int exitCode;
        try
        {
            resultLine = options.Scenario switch
            {
                "coldstart" => await ColdStart.RunAsync(options, work, cts.Token),
                "generate" => await Generate.RunAsync(options, work, cts.Token),
                "search" => await Search.RunAsync(options, work, cts.Token),
                "import" => await Import.RunAsync(options, work, cts.Token),
                "intake" => await Intake.RunAsync(options, work, cts.Token),
                "metrics" => await Metrics.RunAsync(options, work, cts.Token),
                _ => await Pages.RunAsync(options, work, cts.Token),
            };
            failed = false;
            exitCode = 0;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            resultLine = $"RESULT scenario={options.Scenario} status=cancelled";
            exitCode = 130;
            failed = false;
        }
        catch (Exception e)
        {
            Log.Line(e is BenchException or UsageException ? $"FAILED: {e.Message}" : $"FAILED: {e}");
            resultLine = $"RESULT scenario={options.Scenario} status=failed reason=\"{e.Message.Split('\n')[0].Replace('"', '\'')}\"";
            exitCode = 1;
        }
        finally
        {
            Children.KillAll();
            PrivatePostgres.StopAllUnkept();
            foreach (var s in signals) s.Dispose();
        }

        if (failed && !Directory.EnumerateFileSystemEntries(work).Any())
        {
            Directory.Delete(work);
        }
        else if (options.Flag("keep") || failed)
        {
            Log.Line($"kept {work} (published app, databases, server logs)");
        }
        else
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.Line($"could not delete {work}: {e.Message}");
            }
        }
        // The last line, always.
        Console.WriteLine(resultLine);
        return exitCode;
    }
}
