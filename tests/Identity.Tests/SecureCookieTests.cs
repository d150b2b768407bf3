using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>
/// <c>Identity:SecureCookies</c> (on wherever <c>Identity:RequireHttps</c> is, and in production behind TLS ending at the
/// ingress): every cookie of a sign-in says <c>Secure</c>, so a browser never sends it over plain HTTP.
/// </summary>
public class SecureCookieTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    /// <summary>
    /// The cookies of a sign-in: antiforgery, then the sign-in cookie (camille) or the second-step cookie (chef must enrol).
    /// </summary>
    private static async Task<List<string>> SignInCookies(WebApplicationFactory<Program> host, string username, string scheme)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(scheme + "://localhost"),
        });
        var page = await client.GetAsync("/account/login");
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        var html = await page.Content.ReadAsStringAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value),
                ["returnUrl"] = "/", ["username"] = username, ["password"] = IdentityFactory.Password,
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Split(';')[0])));
        var signedIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        cookies.AddRange(signedIn.Headers.GetValues("Set-Cookie"));
        var named = cookies.Select(c => c.Split('=')[0]).ToList();
        Assert.Contains("Coordination.Identity.Antiforgery", named);
        Assert.Contains(username == "chef" ? "Coordination.Identity.SecondStep" : "Coordination.Identity", named);
        return cookies;
    }

    /// <remarks>Behind the ingress the request is HTTPS as forwarded headers tell (TrustedProxies); a request that is not
    /// cannot even get an antiforgery token then, so no cookie ever leaves without the flag.</remarks>
    [Fact]
    public async Task When_configured_every_cookie_of_a_sign_in_is_secure()
    {
        await using var secure = factory.WithWebHostBuilder(b => b.UseSetting("Identity:SecureCookies", "true"));

        var cookies = (await SignInCookies(secure, "camille", "https")).Concat(await SignInCookies(secure, "chef", "https")).ToList();

        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        var plain = await secure.CreateClient().GetAsync("/account/login");
        Assert.False(plain.Headers.TryGetValues("Set-Cookie", out var sent) && sent.Any(c => !c.Contains("; secure", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Otherwise_cookies_follow_the_request_for_local_runs_over_http()
    {
        var cookies = (await SignInCookies(factory, "camille", "http")).Concat(await SignInCookies(factory, "chef", "http")).ToList();

        Assert.All(cookies, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
