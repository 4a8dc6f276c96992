using System.Text;

namespace Linli.Web.Infrastructure.Operations;

/// <summary>
/// An exception for a log line where its messages may quote personal data (a workbook's cells): every type of the
/// chain and where each was thrown, without the messages.
/// </summary>
public static class ExceptionSummary
{
    public static string Of(Exception e)
    {
        var b = new StringBuilder();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (b.Length > 0) b.Append(" ---> ");
            b.Append(x.GetType().FullName);
            if (x.StackTrace is { } trace) b.AppendLine().Append(trace);
        }
        return b.ToString();
    }
}
