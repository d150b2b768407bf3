using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Coordination.Identity.Tests;

/// <summary>
/// A browser on Identity's own pages (cookies kept, redirects seen): the portal's authorization request, the sign-in
/// page, the second step, the enrolment page. Forms are posted as a browser posts them, with their hidden fields.
/// <paramref name="baseAddress"/>: <c>https://localhost</c> where a cookie is marked Secure (OpenIddict's client marks its
/// correlation cookie so), which the browser sends back over HTTPS only.
/// </summary>
public sealed partial class SignInBrowser(IdentityFactory factory, string baseAddress = "http://localhost")
{
    public const string Redirect = "http://127.0.0.1:8080/signin-oidc";

    public HttpClient Client { get; } = factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress),
    });

    public string Authorize { get; } = "/connect/authorize?client_id=coordination-portal&response_type=code&scope=openid%20offline_access" +
        $"&redirect_uri={Uri.EscapeDataString(Redirect)}&code_challenge={Challenge()}&code_challenge_method=S256&state=s";

    /// <summary>The sign-in page's form, posted with a password: the answer (a redirect, or the page again).</summary>
    public async Task<HttpResponseMessage> SignIn(string username, string password = IdentityFactory.Password, string? returnUrl = null) =>
        await Post("/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl ?? Authorize),
            [("username", username), ("password", password)]);

    /// <summary>Opens <paramref name="url"/>, then posts its form with <paramref name="fields"/> added to its hidden ones.</summary>
    public async Task<HttpResponseMessage> Post(string url, (string Key, string Value)[] fields) => await PostForm(await Page(url), fields);

    /// <summary>Posts the form of a page already opened (the enrolment page shows a new secret each time it is opened).</summary>
    public async Task<HttpResponseMessage> PostForm(string page, (string Key, string Value)[] fields)
    {
        var action = FormAction().Match(page).Groups[1].Value;
        var hidden = Hidden().Matches(page).Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        return await Client.PostAsync(action, new FormUrlEncodedContent([.. hidden.Concat(fields).Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]));
    }

    public async Task<string> Page(string url) => await (await Client.GetAsync(url)).Content.ReadAsStringAsync();

    /// <summary>Where the authorization request sends the browser now: the portal's address with a code, or a page of ours.</summary>
    public async Task<string> AuthorizeNow() => (await Client.GetAsync(Authorize)).Headers.Location!.ToString();

    public static string Hidden(string page, string name) =>
        WebUtility.HtmlDecode(Regex.Match(page, $"name=\"{name}\" value=\"([^\"]*)\"").Groups[1].Value);

    private static string Challenge() =>
        Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N")))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("<form method=\"post\" action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex Hidden();
}
