using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Coordination.Identity.Accounts;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>The provider on a clock the tests move, with accounts that the tests may disable or re-role.</summary>
public sealed class SessionsFactory : IdentityFactory
{
    public static readonly string[] Spare = ["sessions-disabled", "sessions-rerole", "sessions-password"];

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        for (var i = 0; i < Spare.Length; i++)
        {
            var key = $"Identity:Accounts:{10 + i}";
            builder.UseSetting($"{key}:Username", Spare[i]);
            builder.UseSetting($"{key}:Password", Password);
            builder.UseSetting($"{key}:UserId", "user-" + Spare[i]);
            builder.UseSetting($"{key}:Name", "Session T.");
            builder.UseSetting($"{key}:Role", Roles.AssociationStaff);
            builder.UseSetting($"{key}:OrganisationId", Organisation.ToString());
        }
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>Sessions that can end: single-use codes, rolling refresh tokens with reuse detection, 12 h at most, revocation.</summary>
public class SessionTests(SessionsFactory factory) : IClassFixture<SessionsFactory>
{
    private const string Redirect = "http://127.0.0.1:8080/signin-oidc";

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private async Task<HttpResponseMessage> Token(params (string Key, string Value)[] fields) =>
        await factory.CreateClient().PostAsync("/connect/token", Form(fields));

    private async Task<TokenAnswer> SignIn(string username) =>
        await (await (await Token(("grant_type", "password"), ("username", username), ("password", IdentityFactory.Password),
            ("scope", "offline_access"))).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();

    private Task<HttpResponseMessage> Refresh(TokenAnswer tokens) =>
        Token(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken!));

    /// <summary>One of a person's open sessions, as they list them.</summary>
    private sealed record OpenSession(string Id, string Application, DateTimeOffset StartedAt, DateTimeOffset EndsAt);

    private static async Task<string> Refused(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.ReadJson<TokenAnswer>()).Error!;
    }

    private async Task<List<string>> SessionStatuses(string subject)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        var statuses = new List<string>();
        await foreach (var authorization in authorizations.FindBySubjectAsync(subject))
            statuses.Add((await authorizations.GetStatusAsync(authorization))!);
        return statuses;
    }

    [Fact]
    public async Task Access_tokens_last_five_minutes_at_most_for_people_and_jobs_alike()
    {
        var person = new JsonWebToken((await SignIn("camille")).AccessToken);
        var job = new JsonWebToken((await (await (await Token(("grant_type", "client_credentials"), ("client_id", "coordination-jobs"),
            ("client_secret", "change-me-outside-the-demo"))).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>()).AccessToken);

        Assert.All([person, job], token => Assert.True(token.ValidTo - token.IssuedAt <= TimeSpan.FromMinutes(5), $"{token.ValidTo - token.IssuedAt}"));
    }

    [Fact]
    public async Task An_authorization_code_is_exchanged_once_only()
    {
        var (code, verifier) = await PortalCode("louise");
        (string, string)[] exchange = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect),
            ("client_id", "coordination-portal"), ("code_verifier", verifier)];

        await (await Token(exchange)).HasStatus(HttpStatusCode.OK);
        Assert.Equal("invalid_grant", await Refused(await Token(exchange)));
    }

    [Fact]
    public async Task Refresh_tokens_roll_and_a_client_refreshing_twice_at_once_keeps_its_session()
    {
        var first = await SignIn("camille");
        var rolled = await (await (await Refresh(first)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();
        // Within the grace: a concurrent refresh with the same token (two tabs) is served, not taken for a theft.
        var concurrent = await (await (await Refresh(first)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();

        Assert.NotNull(rolled.RefreshToken);
        Assert.NotEqual(first.RefreshToken, rolled.RefreshToken);
        await (await Refresh(rolled)).HasStatus(HttpStatusCode.OK);
        await (await Refresh(concurrent)).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_refresh_token_replayed_after_the_grace_ends_the_whole_session()
    {
        var stolen = await SignIn("direction");
        var legitimate = await (await (await Refresh(stolen)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("invalid_grant", await Refused(await Refresh(stolen)));
        Assert.Equal("invalid_grant", await Refused(await Refresh(legitimate)));
        var session = new JsonWebToken(legitimate.AccessToken).GetClaim("oi_au_id").Value;
        await using var scope = factory.Services.CreateAsyncScope();
        var authorizations = scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>();
        Assert.Equal(OpenIddictConstants.Statuses.Revoked, await authorizations.GetStatusAsync((await authorizations.FindByIdAsync(session))!));
    }

    [Fact]
    public async Task A_session_ends_twelve_hours_after_sign_in_however_often_it_was_refreshed()
    {
        var tokens = await SignIn("louise");
        factory.Clock.Advance(TimeSpan.FromHours(11));
        var refreshed = await (await (await Refresh(tokens)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();
        factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        Assert.Equal("invalid_grant", await Refused(await Refresh(refreshed)));
    }

    [Theory]
    [InlineData("sessions-disabled", "disablement")]
    [InlineData("sessions-rerole", "role")]
    public async Task Disabling_an_account_or_changing_its_role_ends_every_session_it_has(string username, string change)
    {
        var laptop = await SignIn(username);
        var phone = await SignIn(username);
        var admin = factory.CreateClient().As(TestTokens.For(Roles.Admin));
        var url = $"/api/identity/accounts/{AccountEvolution.StreamFor(username)}";
        var version = (await (await admin.GetAsync(url)).HasStatus(HttpStatusCode.OK)).Headers.ETag!.Tag;

        var changed = change == "role"
            ? await admin.SendJson(HttpMethod.Put, $"{url}/role", new { role = Roles.IscgWorker, organisationManager = false }, version)
            : await admin.SendJson(HttpMethod.Post, $"{url}/disablement", new { }, version);

        await changed.HasStatus(HttpStatusCode.NoContent);
        Assert.All(await SessionStatuses("user-" + username), s => Assert.Equal(OpenIddictConstants.Statuses.Revoked, s));
        Assert.Equal(2, (await SessionStatuses("user-" + username)).Count);
        Assert.Equal("invalid_grant", await Refused(await Refresh(laptop)));
        Assert.Equal("invalid_grant", await Refused(await Refresh(phone)));
    }

    [Fact]
    public async Task Logging_out_of_the_portal_ends_that_session_only()
    {
        var other = await SignIn("sessions-password");
        var (code, verifier) = await PortalCode("sessions-password");
        var portal = await (await (await Token(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect),
            ("client_id", "coordination-portal"), ("code_verifier", verifier))).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();

        var logout = await factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).GetAsync(
            $"/connect/logout?id_token_hint={portal.IdToken}&post_logout_redirect_uri={Uri.EscapeDataString("http://127.0.0.1:8080/")}");

        Assert.True(logout.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, logout.StatusCode.ToString());
        Assert.Equal("invalid_grant", await Refused(await Token(("grant_type", "refresh_token"),
            ("refresh_token", portal.RefreshToken!), ("client_id", "coordination-portal"))));
        await (await Refresh(other)).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_person_lists_and_ends_their_own_sessions_and_no_one_else_can()
    {
        await SignIn("camille");
        var phone = await SignIn("camille");
        var phoneSession = new JsonWebToken(phone.AccessToken).GetClaim("oi_au_id").Value;
        var camille = factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, IdentityFactory.Organisation, userId: "user-camille"));
        var louise = factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, IdentityFactory.Organisation, userId: "user-louise"));
        const string Sessions = "/api/identity/accounts/me/sessions";

        var listed = await (await (await camille.GetAsync(Sessions)).HasStatus(HttpStatusCode.OK)).ReadJson<OpenSession[]>();
        var phoneRow = listed.Single(s => s.Id == phoneSession);
        Assert.Equal("Outils en ligne de commande", phoneRow.Application);
        Assert.NotEqual(default, phoneRow.StartedAt);
        Assert.Equal(phoneRow.StartedAt + TimeSpan.FromHours(12), phoneRow.EndsAt);
        var theirs = await (await (await louise.GetAsync(Sessions)).HasStatus(HttpStatusCode.OK)).ReadJson<OpenSession[]>();
        Assert.DoesNotContain(theirs, s => s.Id == phoneSession);
        var notYours = await louise.DeleteAsync($"{Sessions}/{phoneSession}");
        var unknown = await louise.DeleteAsync($"{Sessions}/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, notYours.StatusCode);
        var (a, b) = (await notYours.ReadJson<Problem>(), await unknown.ReadJson<Problem>());
        Assert.Equal(b.Title, a.Title);
        Assert.Equal(b.Detail, a.Detail);
        var rolled = await (await (await Refresh(phone)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();

        await (await camille.DeleteAsync($"{Sessions}/{phoneSession}")).HasStatus(HttpStatusCode.NoContent);

        Assert.Equal("invalid_grant", await Refused(await Refresh(rolled)));
        var after = await (await camille.GetAsync(Sessions)).ReadJson<OpenSession[]>();
        Assert.DoesNotContain(after, s => s.Id == phoneSession);
    }

    /// <summary>The portal's sign-in as a browser does it: authorize, the French page, the code on the redirect address.</summary>
    private async Task<(string Code, string Verifier)> PortalCode(string username)
    {
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = $"/connect/authorize?client_id=coordination-portal&response_type=code&scope=openid%20offline_access" +
                        $"&redirect_uri={Uri.EscapeDataString(Redirect)}&code_challenge={challenge}&code_challenge_method=S256&state=s";
        var login = (await browser.GetAsync(authorize)).Headers.Location!.ToString();
        var page = await (await browser.GetAsync(login)).Content.ReadAsStringAsync();
        var antiforgery = Regex.Match(page, "name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"");
        var returnUrl = WebUtility.HtmlDecode(Regex.Match(page, "name=\"returnUrl\" value=\"([^\"]+)\"").Groups[1].Value);
        var signedIn = await browser.PostAsync("/account/login", Form((antiforgery.Groups[1].Value, WebUtility.HtmlDecode(antiforgery.Groups[2].Value)),
            ("returnUrl", returnUrl), ("username", username), ("password", IdentityFactory.Password)));
        var back = await browser.GetAsync(signedIn.Headers.Location!.ToString());
        var code = Regex.Match(back.Headers.Location!.Query, "code=([^&]+)").Groups[1].Value;
        return (Uri.UnescapeDataString(code), verifier);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
