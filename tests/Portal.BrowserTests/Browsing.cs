using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;

namespace Coordination.Portal.BrowserTests;

/// <summary>One person in their own browser context (own cookies), signed in through the provider's page.</summary>
public sealed class Browsing(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page => page;

    public static Task<Browsing> SignIn(PortalPlatform platform, string username, int width = 1280) =>
        SignIn(platform.Browser, platform.BaseUrl, username, PortalPlatform.Password, width);

    /// <summary>Through the gateway at <paramref name="baseUrl"/>: the portal's "Se connecter", then the provider's page.</summary>
    /// <param name="timeout">For each step, navigations included (processes just started answer their first requests slowly).</param>
    public static async Task<Browsing> SignIn(IBrowser browser, string baseUrl, string username, string password, int width = 1280,
        float timeout = 20_000)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = baseUrl, Locale = "fr-FR", TimezoneId = "Europe/Paris",
            ViewportSize = new() { Width = width, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeout);
        try
        {
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First.ClickAsync();
            await page.GetByLabel("Identifiant").FillAsync(username);
            await page.GetByLabel("Mot de passe").FillAsync(password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(baseUrl) && !url.Contains("/account/") && !url.Contains("/connect/"));
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync(new() { Timeout = timeout });
        }
        catch (Exception failure) when (failure is PlaywrightException or TimeoutException)
        {
            // What the browser showed, for whoever reads the failure: the page as a picture and its address.
            var picture = Path.Combine(PortalPlatform.Artefacts, $"sign-in-failed-{username}.png");
            await page.ScreenshotAsync(new() { Path = picture, FullPage = true });
            throw new InvalidOperationException($"{username} could not sign in; the browser was at {page.Url} ({picture}).", failure);
        }
        return new Browsing(context, page);
    }

    public async Task Goto(string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path}: {response?.Status}");
    }

    /// <summary>
    /// Every page a test visits: a screenshot kept as an artefact, and axe-core's WCAG 2.1 A/AA rules with no serious or
    /// critical violation.
    /// </summary>
    public async Task Check(string name)
    {
        await page.ScreenshotAsync(new() { Path = Path.Combine(PortalPlatform.Artefacts, name + ".png"), FullPage = true });
        var results = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        });
        var blocking = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        await File.WriteAllTextAsync(Path.Combine(PortalPlatform.Artefacts, name + ".axe.txt"),
            string.Join("\n", results.Violations.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
        Assert.True(blocking.Count == 0, $"{name}: " + string.Join("\n", blocking.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}
