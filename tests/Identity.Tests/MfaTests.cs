using System.Net;
using System.Text.RegularExpressions;
using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.SecondFactor;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>The second factor through the real pages: enrolment forced by the role, the code step, recovery codes, the reset.</summary>
public partial class MfaTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private const string Accounts = "/api/identity/accounts";

    /// <summary>A coordinator enrols (the role requires it) and reads the secret as a person would, from the page's text.</summary>
    private async Task<(SignInBrowser Browser, byte[] Secret, string Done)> Enrol(string username)
    {
        var browser = new SignInBrowser(factory);
        var signedIn = await browser.SignIn(username);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.StartsWith(MfaEnrolmentPage.Path, signedIn.Headers.Location!.ToString());
        var page = await browser.Page(signedIn.Headers.Location!.ToString());
        var secret = Base32Encoding.ToBytes(SecretText().Match(page).Groups[1].Value.Replace(" ", ""));
        var done = await browser.PostForm(page, [("code", TotpCodes.Compute(secret, DateTimeOffset.UtcNow))]);
        return (browser, secret, await (await done.HasStatus(HttpStatusCode.OK)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_coordinator_cannot_finish_signing_in_without_enrolling_an_app_shown_as_a_qr_code_and_as_text()
    {
        var browser = new SignInBrowser(factory);
        var signedIn = await browser.SignIn("paul");
        var enrolment = signedIn.Headers.Location!.ToString();
        var page = await browser.Page(enrolment);

        Assert.StartsWith(MfaEnrolmentPage.Path, enrolment);
        Assert.Contains("<svg", page);
        Assert.Contains("role=\"img\" aria-label=\"Code QR", page);
        Assert.Matches(SecretText(), page);
        // The password alone opens nothing: the authorization request sends back to the sign-in page.
        Assert.Contains("/account/login", await browser.AuthorizeNow());
        var wrong = await browser.PostForm(page, [("code", TotpCodes.Compute(TotpCodes.NewSecret(), DateTimeOffset.UtcNow))]);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(MfaDecisions.WrongCode), await wrong.Content.ReadAsStringAsync());
        Assert.Contains("/account/login", await browser.AuthorizeNow());
    }

    [Fact]
    public async Task Enrolling_shows_ten_recovery_codes_once_then_the_sign_in_goes_on_and_the_secret_is_stored_protected()
    {
        var (browser, secret, done) = await Enrol("chef");

        var codes = RecoveryCode().Matches(done).Select(m => m.Value).ToList();
        Assert.Equal(RecoveryCodes.Count, codes.Distinct().Count());
        Assert.StartsWith(SignInBrowser.Redirect, await browser.AuthorizeNow());
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = (await session.Events.FetchStreamAsync(AccountEvolution.StreamFor("chef"))).Select(e => e.Data).ToList();
        var enrolled = Assert.Single(events.OfType<MfaEnrolled>());
        Assert.DoesNotContain(TotpCodes.Base32(secret), enrolled.ProtectedSecret);
        Assert.DoesNotContain(Convert.ToBase64String(secret), enrolled.ProtectedSecret);
        Assert.All(codes, c => Assert.DoesNotContain(enrolled.RecoveryCodeHashes, h => h.Contains(RecoveryCodes.Normalise(c))));
        Assert.Equal(codes.Select(RecoveryCodes.Hash).Order(), enrolled.RecoveryCodeHashes.Order());
        var details = await session.LoadAsync<AccountDetails>(AccountEvolution.StreamFor("chef"));
        Assert.NotNull(details!.MfaEnrolledAt);
    }

    [Fact]
    public async Task The_next_sign_in_asks_for_a_code_each_code_works_once_and_each_recovery_code_once()
    {
        var (_, secret, done) = await Enrol("marie");
        var recovery = RecoveryCode().Matches(done).Select(m => m.Value).First();
        var enrolmentCode = TotpCodes.Compute(secret, DateTimeOffset.UtcNow);

        var browser = new SignInBrowser(factory);
        var signedIn = await browser.SignIn("marie");
        Assert.StartsWith(MfaChallengePage.Path, signedIn.Headers.Location!.ToString());
        Assert.Contains("/account/login", await browser.AuthorizeNow());
        // The code used to enrol was spent: overheard, it is worth nothing.
        var replayed = await browser.Post(signedIn.Headers.Location!.ToString(), [("code", enrolmentCode)]);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode(MfaChallengePage.Refused), await replayed.Content.ReadAsStringAsync());
        var withRecovery = await browser.Post(signedIn.Headers.Location!.ToString(), [("code", recovery.ToLowerInvariant().Replace("-", " "))]);
        Assert.Equal(HttpStatusCode.Redirect, withRecovery.StatusCode);
        Assert.StartsWith(SignInBrowser.Redirect, await browser.AuthorizeNow());

        var again = new SignInBrowser(factory);
        var challenge = (await again.SignIn("marie")).Headers.Location!.ToString();
        Assert.Equal(HttpStatusCode.BadRequest, (await again.Post(challenge, [("code", recovery)])).StatusCode);
        // The next time step from the app (one step of clock drift is allowed) works.
        var next = await again.Post(challenge, [("code", TotpCodes.Compute(secret, DateTimeOffset.UtcNow.AddSeconds(30)))]);
        Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
        Assert.StartsWith(SignInBrowser.Redirect, await again.AuthorizeNow());
    }

    [Fact]
    public async Task Someone_whose_role_does_not_require_it_signs_in_without_and_may_enrol_once_fully_signed_in()
    {
        var browser = new SignInBrowser(factory);
        var signedIn = await browser.SignIn("alex", returnUrl: MfaEnrolmentPage.Path + "?returnUrl=%2Fmon-compte");
        Assert.Equal(MfaEnrolmentPage.Path + "?returnUrl=%2Fmon-compte", signedIn.Headers.Location!.ToString());
        var page = await browser.Page(signedIn.Headers.Location!.ToString());
        var secret = Base32Encoding.ToBytes(SecretText().Match(page).Groups[1].Value.Replace(" ", ""));
        var done = await browser.PostForm(page, [("code", TotpCodes.Compute(secret, DateTimeOffset.UtcNow))]);
        Assert.Contains("href=\"/mon-compte\"", await (await done.HasStatus(HttpStatusCode.OK)).Content.ReadAsStringAsync());

        // From now on, alex's sign-ins have a second step too.
        var later = new SignInBrowser(factory);
        Assert.StartsWith(MfaChallengePage.Path, (await later.SignIn("alex")).Headers.Location!.ToString());
        // Nobody reaches the enrolment page with a password alone once an app is enrolled (it would replace it).
        Assert.StartsWith("/account/login", (await later.Client.GetAsync(MfaEnrolmentPage.Path)).Headers.Location!.ToString());
    }

    [Fact]
    public async Task Only_an_admin_resets_someones_second_factor_recorded_with_who_and_the_role_then_enrols_again()
    {
        await Enrol("admin");
        var id = AccountEvolution.StreamFor("admin");
        var admin = factory.CreateClient().As(TestTokens.For(Roles.Admin, userId: "user-other-admin"));
        var version = (await admin.GetAsync($"{Accounts}/{id}")).Headers.ETag!.Tag;
        var manager = factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, IdentityFactory.Organisation, manager: true));
        var coordinator = factory.CreateClient().As(TestTokens.For(Roles.NationalCoordinator));

        Assert.Equal(HttpStatusCode.Forbidden, (await manager.SendJson(HttpMethod.Post, $"{Accounts}/{id}/mfa/reset", new { }, version)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await coordinator.SendJson(HttpMethod.Post, $"{Accounts}/{id}/mfa/reset", new { }, version)).StatusCode);
        await (await admin.SendJson(HttpMethod.Post, $"{Accounts}/{id}/mfa/reset", new { }, version)).HasStatus(HttpStatusCode.NoContent);

        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var reset = Assert.Single((await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<MfaReset>());
        Assert.Equal("user-other-admin", reset.ResetBy);
        Assert.Null((await session.LoadAsync<AccountDetails>(id))!.MfaEnrolledAt);
        // The person is told, with nothing but their name: they must enrol again, and may not be the one who asked.
        var told = await Received.Wait(factory.Mail, factory.AdminEmail, "Votre double authentification Coordination a été réinitialisée");
        Assert.Contains("admin T.", told.Text);
        Assert.Contains("nouvelle application d'authentification", told.Text);
        Assert.DoesNotContain("user-other-admin", told.Source);
        Assert.StartsWith(MfaEnrolmentPage.Path, (await new SignInBrowser(factory).SignIn("admin")).Headers.Location!.ToString());
        var again = (await admin.GetAsync($"{Accounts}/{id}")).Headers.ETag!.Tag;
        await (await admin.SendJson(HttpMethod.Post, $"{Accounts}/{id}/mfa/reset", new { }, again)).HasStatus(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_password_grant_skips_the_second_step_only_where_it_is_allowed()
    {
        var account = new Account(Guid.NewGuid(), "c", "u", "C.", Roles.NationalCoordinator, null, "hash");
        var staff = account with { Role = Roles.IscgWorker };

        Assert.False(MfaPolicy.PasswordGrantAllowed(account, new MfaOptions { PasswordGrantSkipsMfa = false }));
        Assert.True(MfaPolicy.PasswordGrantAllowed(account, new MfaOptions { PasswordGrantSkipsMfa = true }));
        Assert.True(MfaPolicy.PasswordGrantAllowed(staff, new MfaOptions()));
        Assert.False(MfaPolicy.PasswordGrantAllowed(staff with { Mfa = new SecondFactorState("p", [], -1, default) }, new MfaOptions()));
        Assert.True(MfaPolicy.PasswordGrantAllowed(account, new MfaOptions { RequiredRoles = [Roles.Admin] }));
        // In tests (as in Development), scripts still sign coordinators in by password.
        var token = await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "coordination-cli", ["username"] = "chef", ["password"] = IdentityFactory.Password,
        }));
        await token.HasStatus(HttpStatusCode.OK);
    }

    [GeneratedRegex("<code id=\"cle\"[^>]*>([A-Z2-7 ]+)</code>")]
    private static partial Regex SecretText();

    [GeneratedRegex("[A-Z2-9]{5}-[A-Z2-9]{5}")]
    private static partial Regex RecoveryCode();
}
