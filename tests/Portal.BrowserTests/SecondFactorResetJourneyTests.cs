extern alias identity;
using identity::Coordination.Identity.Accounts.SecondFactor;

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// An administrator resets the second factor of someone who lost their phone, from the portal: finds the account, sees
/// that it has one, confirms, meets the 412 of an account changed in between, and the person enrols again at their next
/// sign-in. Every page checked by axe-core at 1280 and 360 px.
/// </summary>
[Collection(PortalCollection.Name)]
public class SecondFactorResetJourneyTests(PortalPlatform platform)
{
    private const string Page = "/comptes/double-authentification";
    private static readonly (string Username, string UserId, string Name) Support = PortalPlatform.SupportAdmins[0];
    private static readonly (string Username, string UserId, string Name) LostPhone = PortalPlatform.SupportAdmins[1];

    [Fact]
    public async Task An_admin_finds_an_account_resets_its_second_factor_after_a_stale_version_and_the_person_enrols_again()
    {
        // The person who will lose their phone enrolled an app at their first sign-in (admins must).
        await using (var _ = await SignInEnrolling(LostPhone.Username)) { }
        await using var admin = await SignInEnrolling(Support.Username);
        var page = admin.Page;

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Navigation principale" })
            .GetByRole(AriaRole.Link, new() { Name = "Double authentification" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Double authentification des comptes");
        await page.GetByLabel("Organisation").SelectOptionAsync(new SelectOptionValue { Label = "Sans organisation (comptes nationaux)" });
        await page.GetByLabel("Nom (ou une partie)").FillAsync("gaëlle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = LostPhone.Name }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Rowheader)).ToHaveCountAsync(1); // the name filter left only her
        await Expect(row).ToContainTextAsync("Activée le");
        await admin.Check("double-authentification-liste-1280");

        await row.GetByRole(AriaRole.Link, new() { Name = $"Réinitialiser la double authentification de {LostPhone.Name}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = $"Réinitialiser la double authentification de {LostPhone.Name} ?" }))
            .ToBeVisibleAsync();
        await Expect(page.GetByText("Cette personne devra l'enrôler à nouveau.")).ToBeVisibleAsync();
        await admin.Check("double-authentification-confirmation-1280");

        // Another admin changes the account while this page is open: the confirmation carried the version it showed.
        await DisableAndReenable(LostPhone.UserId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Réinitialiser", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "La ressource a été modifiée entre-temps" })).ToBeVisibleAsync();
        await admin.Check("double-authentification-version-perimee-1280");

        // The page shows the account as it is now: confirming again is what the admin meant.
        await page.GetByRole(AriaRole.Button, new() { Name = "Réinitialiser", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "La double authentification est réinitialisée" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Non activée");
        await Expect(row.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        Assert.Contains("nom=ga", page.Url); // back to the list the admin was looking at

        // 360 px: the list and a confirmation (the admin's own account, which has a second factor), nothing wider.
        await page.SetViewportSizeAsync(360, 900);
        await admin.Goto(Page);
        await Fits(page);
        await admin.Check("double-authentification-liste-360");
        await page.GetByRole(AriaRole.Link, new() { Name = $"Réinitialiser la double authentification de {Support.Name}" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, Name = $"Réinitialiser la double authentification de {Support.Name} ?" }))
            .ToBeVisibleAsync();
        await Fits(page);
        await admin.Check("double-authentification-confirmation-360");

        // Her next sign-in asks her to enrol an app again instead of a code.
        await using var person = await NewContext();
        await SignInForm(person.Page, LostPhone.Username);
        await person.Page.WaitForURLAsync(url => url.Contains("/account/mfa/enrolment"));
    }

    [Fact]
    public async Task Only_admins_see_the_entry_and_the_page()
    {
        await using var coordinator = await Browsing.SignIn(platform, "coordination.test");
        await Expect(coordinator.Page.GetByRole(AriaRole.Link, new() { Name = "Premier responsable" })).ToBeVisibleAsync();
        await Expect(coordinator.Page.GetByRole(AriaRole.Link, new() { Name = "Double authentification" })).ToHaveCountAsync(0);
        await coordinator.Page.GotoAsync(Page);
        await Expect(coordinator.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Accès refusé");

        await using var manager = await Browsing.SignIn(platform, PortalPlatform.Manager.Username);
        await manager.Page.GotoAsync($"{Page}?compte={Guid.NewGuid()}");
        await Expect(manager.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Accès refusé");
    }

    private async Task<Browsing> NewContext()
    {
        var context = await platform.Browser.NewContextAsync(new()
        {
            BaseURL = platform.BaseUrl, Locale = "fr-FR", TimezoneId = "Europe/Paris", ViewportSize = new() { Width = 1280, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return new Browsing(context, page);
    }

    private static async Task SignInForm(IPage page, string username)
    {
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First.ClickAsync();
        await page.GetByLabel("Identifiant").FillAsync(username);
        await page.GetByLabel("Mot de passe").FillAsync(PortalPlatform.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
    }

    /// <summary>An admin's first sign-in: password, then the app's enrolment the role requires (its key read as text).</summary>
    private async Task<Browsing> SignInEnrolling(string username)
    {
        var browsing = await NewContext();
        var page = browsing.Page;
        await SignInForm(page, username);
        await page.WaitForURLAsync(url => url.Contains("/account/mfa/enrolment"));
        var secret = TotpCodes.FromBase32((await page.Locator("#cle").TextContentAsync())!);
        await page.GetByLabel("Code à 6 chiffres").FillAsync(TotpCodes.Compute(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        await Expect(page.Locator("#codes-de-secours li")).ToHaveCountAsync(RecoveryCodes.Count);
        await page.GetByRole(AriaRole.Link, new() { Name = "J'ai noté mes codes, continuer" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(platform.BaseUrl) && !url.Contains("/account/") && !url.Contains("/connect/"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        return browsing;
    }

    private async Task DisableAndReenable(string userId)
    {
        var api = platform.Api(Roles.Admin);
        var accounts = await (await api.GetAsync("/api/identity/accounts")).HasStatus(HttpStatusCode.OK);
        var (id, _, version) = (await accounts.ReadJson<ListedAccount[]>()).Single(a => a.UserId == userId);
        await (await api.SendJson(HttpMethod.Post, $"/api/identity/accounts/{id}/disablement", null, $"\"{version}\"")).HasStatus(HttpStatusCode.NoContent);
        await (await api.SendJson(HttpMethod.Post, $"/api/identity/accounts/{id}/reenablement", null, $"\"{version + 1}\"")).HasStatus(HttpStatusCode.NoContent);
    }

    private static async Task Fits(IPage page)
    {
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{page.Url} is {overflow} px wider than a 360 px screen");
    }
}
