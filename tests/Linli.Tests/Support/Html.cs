using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Linli.Tests.Support;

/// <summary>The page tests read HTML as a browser does (AngleSharp), never by regular expressions over its text.</summary>
public static class Html
{
    // A parser per page: tests run in parallel and a parser keeps state while it reads.
    public static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>The first element the CSS selector finds; fails the test when there is none.</summary>
    public static IElement One(this IDocument doc, string selector) =>
        doc.QuerySelector(selector) ?? throw new ShouldAssertException($"no element matches {selector}");

    /// <summary>The value of the option whose text is <paramref name="text"/> (a category, a building), in any select of the page.</summary>
    public static string OptionValue(string html, string text) =>
        Parse(html).QuerySelectorAll("option").FirstOrDefault(o => o.TextContent.Trim() == text)?.GetAttribute("value")
        ?? throw new ShouldAssertException($"no option “{text}” on the page");

    /// <summary>The selected option of the select with this id: its value and its text.</summary>
    public static (string Value, string Text) Selected(string html, string selectId)
    {
        var option = Parse(html).One($"select#{selectId} option[selected]");
        return (option.GetAttribute("value") ?? "", option.TextContent.Trim());
    }

    /// <summary>The text of the element the selector finds (decoded, trimmed).</summary>
    public static string Text(string html, string selector) => Parse(html).One(selector).TextContent.Trim();

    /// <summary>An attribute of the first element the selector finds.</summary>
    public static string Attribute(string html, string selector, string attribute) =>
        Parse(html).One(selector).GetAttribute(attribute) ?? throw new ShouldAssertException($"{selector} has no {attribute}");

    /// <summary>The values of every input of this name (hidden fields the form carries back).</summary>
    public static List<string> InputValues(string html, string name) =>
        Parse(html).QuerySelectorAll($"input[name='{name}']").Select(i => i.GetAttribute("value") ?? "").ToList();
}
