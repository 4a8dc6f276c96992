using Xunit.Abstractions;

namespace Linli.BrowserTests;

/// <summary>The accessibility check itself: it must fail a page with a serious violation, or every other test proves nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AxeCheckTests(LinliAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task The_page_check_fails_on_a_serious_accessibility_violation()
    {
        await using var s = await BrowserSession.StartAsync(app, output, "axe-self-check");
        await s.GotoAsync("/account/login", "login");

        // Break the page the way a careless change would: an unlabeled field and light-grey text.
        await s.Page.EvaluateAsync("""
            () => {
              const form = document.querySelector('main form');
              form.insertAdjacentHTML('beforeend', '<input type="text" name="Broken">');
              form.insertAdjacentHTML('beforeend', '<p style="color:#ccc;background:#fff">faint text</p>');
            }
            """);
        var failure = await Should.ThrowAsync<Xunit.Sdk.XunitException>(() => s.CheckPageAsync("broken"));
        output.WriteLine(failure.Message);
        failure.Message.ShouldContain("[critical] label: Form elements must have labels");
        failure.Message.ShouldContain("[serious] color-contrast");
        failure.Message.ShouldContain("target input[type=\"text\"]");
        await s.FinishAsync();
    }
}
