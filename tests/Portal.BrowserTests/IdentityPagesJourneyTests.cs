extern alias identity;
using identity::Coordination.Identity.Accounts.SecondFactor;

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// Identity's own pages, served through the gateway like the portal, each checked by axe-core at 1280 and 360 px:
/// sign-in (blank and refused), the enrolment of an authenticator app an admin cannot skip, the recovery codes, the
/// second step of the next sign-in, and the pages e-mails link to (invitation, forgotten and new password).
/// </summary>
[Collection(PortalCollection.Name)]
public class IdentityPagesJourneyTests(PortalPlatform platform)
{
    [Theory]
    [InlineData(1280, 0)]
    [InlineData(360, 1)]
    public async Task An_admin_enrols_an_app_at_first_sign_in_then_signs_in_with_a_code_and_every_identity_page_passes_axe(int width, int admin)
    {
        var username = PortalPlatform.Admins[admin].Username;
        var context = await platform.Browser.NewContextAsync(new()
        {
            BaseURL = platform.BaseUrl, Locale = "fr-FR", TimezoneId = "Europe/Paris", ViewportSize = new() { Width = width, Height = 900 },
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await using var browsing = new Browsing(context, page);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First.ClickAsync();
        await Expect(page.GetByLabel("Identifiant")).ToBeVisibleAsync();
        // ProConnect is switched on in this platform: its button is part of the page axe checks.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "S’identifier avec ProConnect" })).ToBeVisibleAsync();
        await browsing.Check($"identite-connexion-{width}");
        await SignIn(page, username, "pas-le-bon-mot-de-passe");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Identifiant ou mot de passe incorrect");
        await browsing.Check($"identite-connexion-refusee-{width}");

        // The password is right, but an admin goes no further without an app: the enrolment page, QR code and key as text.
        await SignIn(page, username, PortalPlatform.Password);
        await page.WaitForURLAsync(url => url.Contains("/account/mfa/enrolment"));
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Code QR à scanner avec votre application d'authentification" })).ToBeVisibleAsync();
        await browsing.Check($"identite-mfa-enrolement-{width}");
        var secret = TotpCodes.FromBase32((await page.Locator("#cle").TextContentAsync())!);
        await page.GetByLabel("Code à 6 chiffres").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Code incorrect");
        await browsing.Check($"identite-mfa-enrolement-refuse-{width}");
        await page.GetByLabel("Code à 6 chiffres").FillAsync(TotpCodes.Compute(secret, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        await Expect(page.Locator("#codes-de-secours li")).ToHaveCountAsync(RecoveryCodes.Count);
        await browsing.Check($"identite-mfa-codes-de-secours-{width}");
        await page.GetByRole(AriaRole.Link, new() { Name = "J'ai noté mes codes, continuer" }).ClickAsync();
        await SignedIn(page);
        await browsing.Goto("/mon-compte");
        await Expect(page.Locator("#mfa-etat")).ToContainTextAsync("Activée depuis le");
        await browsing.Check($"mon-compte-mfa-{width}");

        // Next sign-in: the second step asks for the app's code (the next one: each works once).
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Se connecter" }).First.ClickAsync();
        await SignIn(page, username, PortalPlatform.Password);
        await page.WaitForURLAsync(url => url.Contains("/account/mfa?") || url.EndsWith("/account/mfa"));
        await browsing.Check($"identite-mfa-code-{width}");
        await page.GetByLabel("Code de vérification").FillAsync(TotpCodes.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Valider" }).ClickAsync();
        await SignedIn(page);

        // The pages the e-mails link to (their forms; the one-time link is checked when posted).
        await browsing.Goto("/account/forgotten-password");
        await browsing.Check($"identite-mot-de-passe-oublie-{width}");
        await browsing.Goto("/account/invitation?jeton=lien-d-essai");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await browsing.Check($"identite-invitation-{width}");
        await browsing.Goto("/account/reset-password?jeton=lien-d-essai");
        await browsing.Check($"identite-nouveau-mot-de-passe-{width}");

        // The page ProConnect's return lands on when the round trip cannot be completed (here: no round trip started);
        // the refusals for an unknown or unverified address are the same page with another message.
        var refused = await page.GotoAsync("/connect/proconnect/callback");
        Assert.Equal(400, refused?.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("La connexion avec ProConnect n’a pas abouti");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Connexion avec ProConnect");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Revenir à la page de connexion" })).ToBeVisibleAsync();
        await browsing.Check($"identite-proconnect-refus-{width}");
    }

    private static async Task SignIn(IPage page, string username, string password)
    {
        await page.GetByLabel("Identifiant").FillAsync(username);
        await page.GetByLabel("Mot de passe").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
    }

    private async Task SignedIn(IPage page)
    {
        await page.WaitForURLAsync(url => url.StartsWith(platform.BaseUrl) && !url.Contains("/account/") && !url.Contains("/connect/"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
    }
}
