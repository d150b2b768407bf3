using System.Text.Json;
using Xunit.Abstractions;

namespace Coordination.Portal.BrowserTests;

/// <summary>
/// Sign-in that survives replicas and restarts: with two replicas of Identity and of the Portal behind the gateway, a
/// person's requests alternate between replicas (round-robin), and each replica is killed and started again in the
/// middle of the journey. Nothing a replica kept in memory is needed: the key ring, the codes and refresh tokens, the
/// signing and encryption keys are shared.
/// </summary>
[Collection(ReplicaCollection.Name)]
public class ReplicasJourneyTests(ReplicaPlatform platform, ITestOutputHelper output)
{
    private static readonly string Colleague = ReplicaPlatform.Accounts[1].Name;

    /// <summary>
    /// Per step: a process just (re)started compiles its code paths on first use, password hashing is deliberately slow,
    /// and one sign-in crosses four processes, on two cores shared with the other test assemblies.
    /// </summary>
    private const float Patience = 60_000;

    private static async Task Act(IPage page, string button, string confirmation)
    {
        await page.GotoAsync("/mon-equipe");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mon équipe", new() { Timeout = Patience }); // still signed in
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = Colleague });
        await row.GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
        await Expect(page.GetByText(confirmation)).ToBeVisibleAsync(new() { Timeout = Patience });
    }

    [Fact]
    public async Task A_manager_signed_in_across_replicas_keeps_posting_forms_while_each_replica_is_restarted()
    {
        try
        {
            await using var manager = await Browsing.SignIn(platform.Browser, platform.BaseUrl,
                ReplicaPlatform.Accounts[0].Username, ReplicaPlatform.Password, timeout: Patience);
            await Act(manager.Page, "Désactiver", "Le compte est désactivé");

            // When the first replica of each is killed and started again
            await Task.WhenAll(ReplicaPlatform.Restart(platform.Identity[0]), ReplicaPlatform.Restart(platform.Portal[0]));
            // Then the same browser session posts again (the portal cookie, its antiforgery token and the refresh token
            // were all made before the restart, possibly by the replica that restarted)
            await Act(manager.Page, "Réactiver", "Le compte est réactivé");

            // And the same with the other replica of each: by now no process of the first sign-in is still running
            await Task.WhenAll(ReplicaPlatform.Restart(platform.Identity[1]), ReplicaPlatform.Restart(platform.Portal[1]));
            await Act(manager.Page, "Désactiver", "Le compte est désactivé");
            await Act(manager.Page, "Réactiver", "Le compte est réactivé");

            // and someone signing in for the first time after both restarts gets in
            await using var colleague = await Browsing.SignIn(platform.Browser, platform.BaseUrl,
                ReplicaPlatform.Accounts[1].Username, ReplicaPlatform.Password, timeout: Patience);
            await colleague.Goto("/mon-compte");
            await Expect(colleague.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Mon compte", new() { Timeout = Patience });
        }
        catch
        {
            output.WriteLine(platform.Logs());
            throw;
        }
    }

    [Fact]
    public async Task Discovery_through_the_gateway_names_the_public_address_with_S256_only_and_no_password_grant()
    {
        using var client = new HttpClient { BaseAddress = platform.Gateway.Address };
        var discovery = await (await (await client.GetAsync("/.well-known/openid-configuration")).HasStatus(HttpStatusCode.OK)).ReadJsonElement();

        var issuer = discovery.GetProperty("issuer").GetString()!;
        Assert.Equal(platform.BaseUrl + "/", issuer);
        var endpoints = discovery.EnumerateObject().Where(p => p.Name.EndsWith("_endpoint") || p.Name == "jwks_uri").ToList();
        Assert.Contains(endpoints, p => p.Name == "authorization_endpoint");
        Assert.All(endpoints, p => Assert.StartsWith(issuer, p.Value.GetString()));
        Assert.Equal(["S256"], Strings(discovery, "code_challenge_methods_supported"));
        Assert.DoesNotContain("password", Strings(discovery, "grant_types_supported"));
        // Both replicas publish both signing certificates: a token signed by either validates wherever it goes.
        var jwks = await (await client.GetAsync(discovery.GetProperty("jwks_uri").GetString())).ReadJsonElement();
        Assert.Equal(2, jwks.GetProperty("keys").GetArrayLength());
        var password = await client.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = ReplicaPlatform.Accounts[0].Username, ["password"] = ReplicaPlatform.Password,
        }));
        Assert.Equal("unsupported_grant_type", (await password.ReadJsonElement()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Behind_the_ingress_the_provider_redirects_and_sets_its_cookies_for_the_real_scheme_and_host()
    {
        // The ingress (here the test, on loopback, which the gateway trusts by default) says the browser used HTTPS on the
        // public name; the gateway passes it on to Identity, which trusts the gateway.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = platform.Gateway.Address };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "coordination.example");

        var authorize = await client.GetAsync("/connect/authorize?client_id=coordination-portal&response_type=code&scope=openid" +
            $"&redirect_uri={Uri.EscapeDataString(platform.BaseUrl + "/signin-oidc")}" +
            "&code_challenge=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU&code_challenge_method=S256&state=etat");
        var login = await client.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        Assert.StartsWith("https://coordination.example/account/login", authorize.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string?> Strings(JsonElement element, string property) =>
        element.GetProperty(property).EnumerateArray().Select(e => e.GetString());
}
