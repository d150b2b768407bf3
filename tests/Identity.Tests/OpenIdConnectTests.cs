using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Coordination.Identity.Accounts;
using Coordination.Testing;
using Marten;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Coordination.Identity.Tests;

public class OpenIdConnectTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private async Task<HttpResponseMessage> PasswordGrant(string username, string password, string scope = "") =>
        await factory.CreateClient().PostAsync("/connect/token",
            Form(("grant_type", "password"), ("username", username), ("password", password), ("scope", scope)));

    [Fact]
    public async Task Discovery_and_a_published_signing_key_let_any_service_validate_tokens()
    {
        var discovery = await (await factory.CreateClient().GetAsync("/.well-known/openid-configuration")).ReadJsonElement();
        var jwks = await (await factory.CreateClient().GetAsync("/.well-known/jwks")).ReadJsonElement();

        Assert.Equal(IdentityFactory.Issuer, discovery.GetProperty("issuer").GetString());
        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/connect/logout", discovery.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(m => m.GetString()));
        Assert.NotEmpty(jwks.GetProperty("keys").EnumerateArray());
    }

    [Fact]
    public async Task A_script_gets_an_access_token_with_the_claims_every_service_reads()
    {
        var response = await (await PasswordGrant("camille", IdentityFactory.Password)).HasStatus(HttpStatusCode.OK);
        var token = new JsonWebToken((await response.ReadJsonElement()).GetProperty("access_token").GetString());

        Assert.Equal(IdentityFactory.Issuer, token.Issuer);
        Assert.Contains("coordination-api", token.Audiences);
        Assert.Equal("user-camille", token.Subject);
        Assert.Equal("association_staff", token.GetClaim("role").Value);
        Assert.Equal(IdentityFactory.Organisation.ToString(), token.GetClaim("org").Value);
        Assert.False(token.TryGetClaim("preferred_username", out _));
        Assert.False(token.TryGetClaim("org_manager", out _));
        Assert.False(token.TryGetClaim("archive_access", out _));
    }

    [Fact]
    public async Task An_organisation_manager_is_said_so_in_the_token()
    {
        var response = await (await PasswordGrant("direction", IdentityFactory.Password)).HasStatus(HttpStatusCode.OK);
        var token = new JsonWebToken((await response.ReadJsonElement()).GetProperty("access_token").GetString());

        Assert.Equal("true", token.GetClaim("org_manager").Value);
        Assert.Equal("true", token.GetClaim("archive_access").Value); // this account also holds the archive habilitation
    }

    [Fact]
    public async Task After_a_few_wrong_passwords_even_the_right_one_waits_and_every_refusal_says_the_same_thing()
    {
        var unknown = await (await PasswordGrant("personne", "faux")).ReadJsonElement();
        var answers = new List<string>();
        for (var i = 0; i < 4; i++)
            answers.Add((await (await PasswordGrant("louise", "faux")).ReadJsonElement()).GetProperty("error_description").GetString()!);
        var rightPasswordTooSoon = await PasswordGrant("louise", IdentityFactory.Password);

        Assert.Equal(HttpStatusCode.BadRequest, rightPasswordTooSoon.StatusCode);
        var delayed = await rightPasswordTooSoon.ReadJsonElement();
        Assert.Equal("invalid_grant", delayed.GetProperty("error").GetString());
        Assert.All(answers, a => Assert.Equal(unknown.GetProperty("error_description").GetString(), a));
        Assert.Equal(unknown.GetProperty("error_description").GetString(), delayed.GetProperty("error_description").GetString());
        // The delay is recorded against the username (hashed), and the attempt made too soon counted as one more failure.
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var failures = await session.LoadAsync<SignInFailures>(SignInThrottling.AccountKey("louise"));
        Assert.Equal(5, failures!.Count);
        Assert.DoesNotContain("louise", failures.Id);
        // Nothing was locked: no lockout event, and the account itself is untouched.
        var events = await session.Events.FetchStreamAsync(AccountEvolution.StreamFor("louise"));
        Assert.DoesNotContain(events, e => e.Data is AccountLockedOut or SignInSucceeded);
    }

    [Fact]
    public async Task An_unknown_username_is_delayed_exactly_like_a_real_one()
    {
        for (var i = 0; i < 4; i++)
            await PasswordGrant("quelquun-inconnu", "faux");

        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var failures = await session.LoadAsync<SignInFailures>(SignInThrottling.AccountKey("Quelquun-Inconnu "));
        Assert.Equal(4, failures!.Count);
    }

    [Fact]
    public async Task Passwords_are_stored_as_pbkdf2_hashes_only()
    {
        await using var session = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(AccountEvolution.StreamFor("camille"));
        var activated = Assert.Single(events.Select(e => e.Data).OfType<AccountActivated>());

        Assert.StartsWith("pbkdf2-sha512$210000$", activated.PasswordHash);
        Assert.DoesNotContain(IdentityFactory.Password, activated.PasswordHash);
    }

    [Fact]
    public async Task A_job_uses_client_credentials_with_its_secret_and_nothing_else()
    {
        var ok = await factory.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", "coordination-jobs"), ("client_secret", "change-me-outside-the-demo")));
        var wrongSecret = await factory.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials"),
            ("client_id", "coordination-jobs"), ("client_secret", "devine")));
        var scriptClient = await factory.CreateClient().PostAsync("/connect/token", Form(("grant_type", "client_credentials")));

        var token = new JsonWebToken((await (await ok.HasStatus(HttpStatusCode.OK)).ReadJsonElement()).GetProperty("access_token").GetString());
        Assert.Equal("coordination-jobs", token.Subject);
        Assert.Equal("service", token.GetClaim("role").Value);
        Assert.NotEqual(HttpStatusCode.OK, wrongSecret.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, scriptClient.StatusCode);
    }

    [Fact]
    public async Task The_portal_signs_in_with_authorization_code_and_pkce_then_refreshes_and_logs_out()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        const string redirect = "http://127.0.0.1:8080/signin-oidc";
        var authorize = $"/connect/authorize?client_id=coordination-portal&response_type=code&scope=openid%20offline_access" +
                        $"&redirect_uri={Uri.EscapeDataString(redirect)}&code_challenge={challenge}&code_challenge_method=S256&state=xyz";

        // Not signed in yet: sent to the French sign-in page.
        var first = await client.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var loginUrl = first.Headers.Location!.ToString();
        Assert.Contains("/account/login", loginUrl);
        var page = await (await client.GetAsync(loginUrl)).Content.ReadAsStringAsync();
        Assert.Contains("Connexion à Coordination", page);
        var antiforgery = Regex.Match(page, "name=\"(__RequestVerificationToken)\" value=\"([^\"]+)\"");
        var returnUrl = WebUtility.HtmlDecode(Regex.Match(page, "name=\"returnUrl\" value=\"([^\"]+)\"").Groups[1].Value);

        var wrong = await client.PostAsync("/account/login", Form((antiforgery.Groups[1].Value, WebUtility.HtmlDecode(antiforgery.Groups[2].Value)),
            ("returnUrl", returnUrl), ("username", "camille"), ("password", "faux")));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var signedIn = await client.PostAsync("/account/login", Form((antiforgery.Groups[1].Value, WebUtility.HtmlDecode(antiforgery.Groups[2].Value)),
            ("returnUrl", returnUrl), ("username", "camille"), ("password", IdentityFactory.Password)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var back = await client.GetAsync(signedIn.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.StartsWith(redirect, callback.ToString());
        var code = Regex.Match(callback.Query, "code=([^&]+)").Groups[1].Value;
        Assert.Contains("state=xyz", callback.Query);

        var withoutVerifier = await client.PostAsync("/connect/token", Form(("grant_type", "authorization_code"), ("code", Uri.UnescapeDataString(code)),
            ("redirect_uri", redirect), ("client_id", "coordination-portal")));
        Assert.NotEqual(HttpStatusCode.OK, withoutVerifier.StatusCode);

        var tokens = await (await (await client.PostAsync("/connect/token", Form(("grant_type", "authorization_code"), ("code", Uri.UnescapeDataString(code)),
            ("redirect_uri", redirect), ("client_id", "coordination-portal"), ("code_verifier", verifier)))).HasStatus(HttpStatusCode.OK)).ReadJsonElement();
        Assert.Equal("user-camille", new JsonWebToken(tokens.GetProperty("access_token").GetString()).Subject);

        var refreshed = await (await (await client.PostAsync("/connect/token", Form(("grant_type", "refresh_token"),
            ("refresh_token", tokens.GetProperty("refresh_token").GetString()!), ("client_id", "coordination-portal")))).HasStatus(HttpStatusCode.OK)).ReadJsonElement();
        Assert.Equal("user-camille", new JsonWebToken(refreshed.GetProperty("access_token").GetString()).Subject);

        var logout = await client.GetAsync("/connect/logout");
        Assert.True(logout.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, logout.StatusCode.ToString());
        var again = await client.GetAsync(authorize);
        Assert.Contains("/account/login", again.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_unregistered_redirect_address_is_refused()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/connect/authorize?client_id=coordination-portal&response_type=code&scope=openid" +
                                             "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&code_challenge=abc&code_challenge_method=S256");

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
