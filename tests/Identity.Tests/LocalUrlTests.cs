using System.Net;
using System.Text.RegularExpressions;
using Coordination.ServiceDefaults.Http;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>The return address after a sign-in (Identity's page, the Portal's <c>/connexion</c>): our own pages only.</summary>
public class LocalUrlTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    [Theory]
    [InlineData("/", true)]
    [InlineData("/connect/authorize?client_id=x&scope=openid", true)]
    [InlineData("/mon-compte#sessions", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("https://evil.example/", false)]
    [InlineData("//evil.example/", false)]
    [InlineData("/\\evil.example/", false)]
    [InlineData("/\t/evil.example/", false)] // browsers drop the tab and read //evil.example
    [InlineData("/\r\n/evil.example/", false)]
    [InlineData("/\u0000", false)]
    [InlineData("/page\u007f", false)]
    [InlineData("evil.example", false)]
    [InlineData("~/page", false)]
    public void Only_our_own_pages_are_local(string? url, bool local) => Assert.Equal(local, LocalUrls.IsLocal(url));

    [Theory]
    [InlineData("/%09/evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    public async Task The_sign_in_page_never_sends_the_browser_elsewhere(string returnUrl)
    {
        var page = await factory.CreateClient().GetStringAsync($"/account/login?returnUrl={returnUrl}");

        Assert.Equal("/account/login", WebUtility.HtmlDecode(Regex.Match(page, "name=\"returnUrl\" value=\"([^\"]*)\"").Groups[1].Value));
    }
}
