namespace Coordination.Portal.BrowserTests;

[Collection(PortalCollection.Name)]
public class SessionAndAccessTests(PortalPlatform platform)
{
    [Fact]
    public async Task Anonymous_visitors_see_the_welcome_page_and_are_sent_to_sign_in_for_any_other_page()
    {
        var context = await platform.Browser.NewContextAsync(new() { BaseURL = platform.BaseUrl, Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Coordination France Victimes × ANISCG");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        var anonymous = new Browsing(context, page);
        await anonymous.Check("00-accueil-anonyme");

        await page.GotoAsync("/boite-de-reception");
        await Expect(page.GetByLabel("Identifiant")).ToBeVisibleAsync();
        Assert.Contains("/account/login", page.Url);
        Assert.StartsWith(platform.BaseUrl, page.Url); // the provider's page is served through the gateway too
        await context.DisposeAsync();
    }

    [Fact]
    public async Task The_skip_link_comes_first_and_leads_to_the_main_content()
    {
        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Page.Keyboard.PressAsync("Tab");
        await Expect(worker.Page.Locator(":focus")).ToHaveTextAsync("Aller au contenu");
        await worker.Page.Keyboard.PressAsync("Enter");
        Assert.EndsWith("#contenu", worker.Page.Url);
    }

    [Fact]
    public async Task A_worker_is_refused_the_national_dashboard_and_signing_out_ends_the_session()
    {
        await using var worker = await Browsing.SignIn(platform, "iscg.test");
        await worker.Page.GotoAsync("/tableau-de-bord");
        await Expect(worker.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Accès refusé");
        await worker.Check("19-acces-refuse");

        await worker.Page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await Expect(worker.Page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First).ToBeVisibleAsync();
        await worker.Page.GotoAsync("/orientations");
        await Expect(worker.Page.GetByLabel("Identifiant")).ToBeVisibleAsync(); // the provider's session ended too
    }

    [Fact]
    public async Task A_person_sees_their_open_sessions_on_their_account_page_and_ends_the_one_left_on_another_device()
    {
        await using var office = await Browsing.SignIn(platform, "aav.test");
        await using var forgotten = await Browsing.SignIn(platform, "aav.test");
        await office.Goto("/mon-compte");
        var table = office.Page.GetByRole(AriaRole.Table, new() { Name = "Vos sessions ouvertes" });
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Portail Coordination (cette session)" })).ToBeVisibleAsync();
        var end = table.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Terminer") });
        await Expect(end).ToHaveCountAsync(1); // the other device's session; the current one ends by signing out
        await office.Check("mon-compte-sessions");

        await end.ClickAsync();
        await Expect(office.Page.GetByText("La session est terminée.")).ToBeVisibleAsync();
        await Expect(end).ToHaveCountAsync(0);

        // The other device's next page needs a refresh (access tokens outlive no page here): refused, so its password again.
        await forgotten.Page.GotoAsync("/orientations");
        await Expect(forgotten.Page.GetByLabel("Identifiant")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("aav.test", new[] { "/", "/boite-de-reception", "/orientations/nouvelle", "/orientations", "/formations", "/projets" })]
    [InlineData("coordination.test", new[] { "/tableau-de-bord", "/formations/sessions/nouvelle" })]
    public async Task Every_page_fits_a_360_pixel_phone(string username, string[] paths)
    {
        await using var person = await Browsing.SignIn(platform, username, width: 360);
        foreach (var path in paths)
        {
            await person.Goto(path);
            var overflow = await person.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a 360 px screen");
        }
        await person.Check($"21-360px-{username}");
    }
}
