using System.Net;
using System.Text.RegularExpressions;
using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.Inviting;
using Coordination.Identity.Accounts.SecondFactor;
using Coordination.Identity.Accounts.SigningInWithProConnect;
using Coordination.Identity.Endpoints;
using Coordination.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>Identity with ProConnect switched on, pointing at a second local provider that plays ProConnect.</summary>
public sealed class ProConnectFactory : IdentityFactory
{
    public const string PublicOrigin = "https://identity.test";

    public FakeProConnect ProConnect { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        ProConnect = await FakeProConnect.StartAsync();
        await base.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The redirect URI declared at ProConnect is under the public address, which the browser uses (over HTTPS, as
        // ProConnect requires; TestServer takes any host).
        builder.UseSetting("Identity:PublicOrigin", PublicOrigin);
        builder.UseSetting("Identity:ProConnect:Enabled", "true");
        builder.UseSetting("Identity:ProConnect:Authority", ProConnect.Authority);
        builder.UseSetting("Identity:ProConnect:ClientId", "coordination-test");
        builder.UseSetting("Identity:ProConnect:ClientSecret", "secret-of-the-test");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await ProConnect.DisposeAsync();
    }
}

public sealed partial class ProConnectTests(ProConnectFactory factory) : IClassFixture<ProConnectFactory>
{
    /// <summary>At the public address, over HTTPS: the OpenIddict client's correlation cookie is Secure, and the callback must
    /// arrive at the redirect URI it announced.</summary>
    private SignInBrowser Browser() => new(factory, ProConnectFactory.PublicOrigin);

    private IDocumentStore Store => factory.Services.GetRequiredService<IDocumentStore>();

    private static string NewEmail(string who) => $"{who}.{Guid.NewGuid():N}"[..20] + "@association.test";

    /// <summary>Given: an account invited by an administrator (not yet accepted), as the invitation endpoint records it.</summary>
    private async Task<Guid> Invited(string email, string role = Roles.AssociationStaff)
    {
        var id = AccountEvolution.StreamFor(email);
        var now = DateTimeOffset.UtcNow;
        var (_, hash) = OneTimeLinks.New(id);
        var organisation = Roles.OrganisationStaff.Contains(role) ? IdentityFactory.Organisation : (Guid?)null;
        var invited = InviteAccountEndpoint.Decide(new InviteAccount(id, "user-" + Guid.NewGuid().ToString("N"), email, email, "Invitée T.", role,
            organisation, false, false, hash, now.AddDays(3), new CurrentUser("user-admin", Roles.Admin, null), now,
            OrganisationKnown: true, OrganisationHasManager: false), null);
        await using var session = Store.LightweightSession();
        session.Events.StartStream<Account>(id, [.. invited]);
        await session.SaveChangesAsync();
        return id;
    }

    private async Task<List<object>> Events(Guid id)
    {
        await using var session = Store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(id)).Select(e => e.Data)];
    }

    private async Task<AccountDetails?> Details(Guid id)
    {
        await using var session = Store.QuerySession();
        return await session.LoadAsync<AccountDetails>(id);
    }

    /// <summary>
    /// The portal's authorization request, the sign-in page's ProConnect button, ProConnect (real HTTP) and back to the
    /// callback, redirects followed one by one: the callback's answer.
    /// </summary>
    private async Task<HttpResponseMessage> SignInWithProConnect(SignInBrowser browser, FakeProConnect.User user)
    {
        var login = (await browser.Client.GetAsync(browser.Authorize)).Headers.Location!.ToString();
        var page = await browser.Page(new Uri(login).PathAndQuery);
        return await ThroughProConnect(browser, WebUtility.HtmlDecode(ProConnectButton().Match(page).Groups[1].Value), user);
    }

    /// <summary>From the way to ProConnect (<paramref name="start"/>) to the callback's answer.</summary>
    private async Task<HttpResponseMessage> ThroughProConnect(SignInBrowser browser, string start, FakeProConnect.User user)
    {
        factory.ProConnect.Next = user;
        var toProvider = await browser.Client.GetAsync(start);
        Assert.Equal(HttpStatusCode.Redirect, toProvider.StatusCode);
        Assert.StartsWith(factory.ProConnect.Authority + "authorize", toProvider.Headers.Location!.ToString());
        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = (await provider.GetAsync(toProvider.Headers.Location)).Headers.Location!;
        Assert.Equal(ProConnect.CallbackPath, back.AbsolutePath);
        return await browser.Client.GetAsync(back.PathAndQuery);
    }

    [Fact]
    public async Task An_invited_person_signs_in_with_ProConnect_their_invitation_is_accepted_and_the_portal_gets_its_code()
    {
        var email = NewEmail("invitee");
        var id = await Invited(email);
        var browser = Browser();

        var callback = await SignInWithProConnect(browser, new FakeProConnect.User("sub-" + Guid.NewGuid(), email.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith("/connect/authorize?", callback.Headers.Location!.ToString());
        var portal = (await browser.Client.GetAsync(callback.Headers.Location)).Headers.Location!.ToString();
        Assert.StartsWith(SignInBrowser.Redirect + "?code=", portal);
        Assert.Equal(AccountStatus.Active, (await Details(id))!.Status);
        var events = await Events(id);
        var activated = Assert.Single(events.OfType<AccountActivated>());
        Assert.Equal(ExternalProviders.ProConnect, activated.Through);
        Assert.Null(activated.PasswordHash);
        Assert.Equal(ExternalProviders.ProConnect, Assert.Single(events.OfType<ExternalIdentityLinked>()).Provider);
        var signIn = Assert.Single(events.OfType<SignInSucceeded>());
        Assert.Equal((ExternalProviders.ProConnect, "eidas1"), (signIn.Through, signIn.Acr));
        Assert.Equal("eidas1", factory.ProConnect.LastAcrValues);
        // No password was chosen: none opens the account.
        Assert.Equal(HttpStatusCode.BadRequest, (await Browser().SignIn(email, "")).StatusCode);
    }

    [Fact]
    public async Task The_next_sign_in_finds_the_account_by_its_ProConnect_subject_even_when_the_address_changed()
    {
        var email = NewEmail("again");
        var id = await Invited(email);
        var subject = "sub-" + Guid.NewGuid();
        await SignInWithProConnect(Browser(), new FakeProConnect.User(subject, email));

        var browser = Browser();
        var callback = await SignInWithProConnect(browser, new FakeProConnect.User(subject, NewEmail("renamed"), EmailVerified: null));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith(SignInBrowser.Redirect + "?code=", (await browser.Client.GetAsync(callback.Headers.Location)).Headers.Location!.ToString());
        var events = await Events(id);
        Assert.Single(events.OfType<ExternalIdentityLinked>());
        Assert.Equal(2, events.OfType<SignInSucceeded>().Count());
    }

    [Fact]
    public async Task An_address_with_no_account_is_told_to_ask_for_an_invitation_and_no_account_is_created()
    {
        await using var before = Store.QuerySession();
        var accounts = await before.Query<AccountDetails>().CountAsync();
        var email = NewEmail("stranger");
        var browser = Browser();

        var callback = await SignInWithProConnect(browser, new FakeProConnect.User("sub-" + Guid.NewGuid(), email));

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Contains(ProConnectEndpoints.NoAccount, WebUtility.HtmlDecode(await callback.Content.ReadAsStringAsync()));
        await using var after = Store.QuerySession();
        Assert.Equal(accounts, await after.Query<AccountDetails>().CountAsync());
        Assert.False(await after.Query<AccountDetails>().AnyAsync(a => a.Email == email));
        Assert.Null(await after.Events.FetchStreamStateAsync(AccountEvolution.StreamFor(email)));
        Assert.Contains("/account/login", await browser.AuthorizeNow());
    }

    [Fact]
    public async Task An_address_ProConnect_says_is_not_verified_opens_nothing_not_even_an_invitation()
    {
        var email = NewEmail("unverified");
        var id = await Invited(email);
        var browser = Browser();

        var callback = await SignInWithProConnect(browser, new FakeProConnect.User("sub-" + Guid.NewGuid(), email, EmailVerified: false));

        Assert.Equal(HttpStatusCode.Forbidden, callback.StatusCode);
        Assert.Contains(ProConnectEndpoints.EmailNotVerified, WebUtility.HtmlDecode(await callback.Content.ReadAsStringAsync()));
        Assert.Equal(AccountStatus.Invited, (await Details(id))!.Status);
        Assert.DoesNotContain(await Events(id), e => e is ExternalIdentityLinked or AccountActivated or SignInSucceeded);
        Assert.Contains("/account/login", await browser.AuthorizeNow());
    }

    [Fact]
    public async Task A_disabled_account_is_refused_as_a_password_would_be_even_once_linked()
    {
        var email = NewEmail("disabled");
        var id = await Invited(email);
        var subject = "sub-" + Guid.NewGuid();
        await SignInWithProConnect(Browser(), new FakeProConnect.User(subject, email));
        await using (var session = Store.LightweightSession())
        {
            session.Events.Append(id, new AccountDisabled(id, "user-admin", DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        var browser = Browser();

        var callback = await SignInWithProConnect(browser, new FakeProConnect.User(subject, email));

        Assert.Equal(HttpStatusCode.BadRequest, callback.StatusCode);
        Assert.Contains(ConnectEndpoints.SignInRefused, WebUtility.HtmlDecode(await callback.Content.ReadAsStringAsync()));
        Assert.Contains("/account/login", await browser.AuthorizeNow());
        Assert.Single((await Events(id)).OfType<SignInSucceeded>());
    }

    [Fact]
    public async Task A_role_that_requires_a_second_factor_still_goes_through_it_after_ProConnect()
    {
        var email = NewEmail("coordinator");
        await Invited(email, Roles.NationalCoordinator);
        var browser = Browser();

        var callback = await SignInWithProConnect(browser, new FakeProConnect.User("sub-" + Guid.NewGuid(), email));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith(MfaEnrolmentPage.Path, callback.Headers.Location!.ToString());
        Assert.Contains("/account/login", await browser.AuthorizeNow());
    }

    [Fact]
    public async Task A_return_address_outside_the_platform_is_not_followed_after_the_round_trip()
    {
        var email = NewEmail("redirect");
        await Invited(email);
        var browser = Browser();

        var callback = await ThroughProConnect(browser, ProConnect.ChallengePath + "?returnUrl=" + Uri.EscapeDataString("//evil.example/x"),
            new FakeProConnect.User("sub-" + Guid.NewGuid(), email));

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/account/login", callback.Headers.Location!.ToString());
        // Signed in all the same: the portal's request now gets its code at once.
        Assert.StartsWith(SignInBrowser.Redirect + "?code=", await browser.AuthorizeNow());
    }

    [GeneratedRegex("<a class=\"proconnect-button\" href=\"([^\"]+)\"")]
    private static partial Regex ProConnectButton();
}

/// <summary>Off by default: no button, and neither the way to ProConnect nor the way back exists.</summary>
public sealed class ProConnectOffTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    [Fact]
    public async Task Without_the_setting_there_is_no_button_and_both_ProConnect_addresses_answer_404()
    {
        var client = factory.CreateClient();

        var page = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();

        Assert.Contains("Connexion à Coordination", page);
        Assert.DoesNotContain("ProConnect", page);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(ProConnect.ChallengePath)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(ProConnect.CallbackPath + "?code=x&state=y")).StatusCode);
    }
}
