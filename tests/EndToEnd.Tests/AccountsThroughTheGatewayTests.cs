using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Coordination.EndToEnd.Tests;

/// <summary>
/// Accounts given and taken away, as people do it: through the gateway only, with the e-mails read from the real mail
/// server and their links followed on Identity's pages.
/// </summary>
public class AccountsThroughTheGatewayTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private const string Password = "Une phrase de passe solide";

    [Fact]
    public async Task An_association_gets_its_first_manager_who_invites_a_colleague_and_later_takes_their_access_away()
    {
        var coordinator = platform.GatewayClient().As(await AccessToken(PlatformFixture.CoordinatorUsername, PlatformFixture.CoordinatorPassword));
        var registered = await (await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", new
        {
            name = "Association d'aide aux victimes de l'Aude", kind = "victimSupportAssociation",
            departements = new[] { "11" }, needs = new[] { "famille--surmonter-conflits-separation-violence" },
        })).HasStatus(HttpStatusCode.Created);
        var organisation = await registered.CreatedId();

        // Identity hears of the organisation from the Directory's events: until then it refuses (409), then accepts.
        var managerEmail = $"direction.{Guid.NewGuid():N}"[..20] + "@aav11.test";
        await HttpClientExtensions.Eventually(() => coordinator.SendJson(HttpMethod.Post, "/api/identity/accounts", new
        {
            email = managerEmail, name = "Claire M.", role = Roles.AssociationStaff, organisationId = organisation, organisationManager = true,
        }), r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30), "the first manager invited");
        await Activate(managerEmail);
        var manager = platform.GatewayClient().As(await AccessToken(managerEmail, Password));
        var me = await (await manager.GetAsync("/api/identity/accounts/me")).ReadJson<Account>();
        Assert.True(me.OrganisationManager);
        Assert.Equal("active", me.Status);

        var colleagueEmail = $"accueil.{Guid.NewGuid():N}"[..20] + "@aav11.test";
        var invited = await (await manager.SendJson(HttpMethod.Post, "/api/identity/accounts", new
        {
            email = colleagueEmail, name = "Inès B.", role = Roles.AssociationStaff,
        })).HasStatus(HttpStatusCode.Created);
        var colleague = await invited.CreatedId();
        await Activate(colleagueEmail);
        var session = await Tokens(colleagueEmail, Password, "offline_access");
        var colleagueApi = platform.GatewayClient().As(session.AccessToken!);
        await (await colleagueApi.GetAsync("/api/identity/accounts/me")).HasStatus(HttpStatusCode.OK);
        // What a disabled person keeps: an access token valid five minutes at most, and no refresh.
        var access = new JsonWebToken(session.AccessToken);
        Assert.True(access.ValidTo - access.IssuedAt <= TimeSpan.FromMinutes(5), $"{access.ValidTo - access.IssuedAt}");

        var version = (await manager.GetAsync($"/api/identity/accounts/{colleague}")).Headers.ETag!.Tag;
        await (await manager.SendJson(HttpMethod.Post, $"/api/identity/accounts/{colleague}/disablement", new { }, version)).HasStatus(HttpStatusCode.NoContent);

        var refresh = await platform.RefreshGrant(session.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await refresh.ReadJson<TokenAnswer>()).Error);
        var signIn = await platform.PasswordGrant(colleagueEmail, Password);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        var team = await (await manager.GetAsync("/api/identity/accounts")).ReadJson<Account[]>();
        Assert.Equal("disabled", team.Single(a => a.Id == colleague).Status);
    }

    [Fact]
    public async Task A_replayed_refresh_token_ends_the_session_for_the_thief_and_its_owner_alike()
    {
        var stolen = await Tokens(PlatformFixture.CoordinatorUsername, PlatformFixture.CoordinatorPassword, "offline_access");
        var owner = await (await (await Refresh(stolen.RefreshToken!)).HasStatus(HttpStatusCode.OK)).ReadJson<TokenAnswer>();
        var ownerApi = platform.GatewayClient().As(owner.AccessToken!);
        await (await ownerApi.GetAsync("/api/identity/accounts/me")).HasStatus(HttpStatusCode.OK);

        var replay = await Refresh(stolen.RefreshToken!);
        var ownerNext = await Refresh(owner.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.ReadJson<TokenAnswer>()).Error);
        Assert.Equal(HttpStatusCode.BadRequest, ownerNext.StatusCode);
        Assert.Equal("invalid_grant", (await ownerNext.ReadJson<TokenAnswer>()).Error);
        // Another sign-in of the same person is another session: it goes on.
        var elsewhere = await Tokens(PlatformFixture.CoordinatorUsername, PlatformFixture.CoordinatorPassword, "offline_access");
        await (await Refresh(elsewhere.RefreshToken!)).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_person_sees_their_open_sessions_and_ends_them_from_another_one()
    {
        var laptop = await Tokens(PlatformFixture.CoordinatorUsername, PlatformFixture.CoordinatorPassword, "offline_access");
        var phone = await Tokens(PlatformFixture.CoordinatorUsername, PlatformFixture.CoordinatorPassword, "offline_access");
        var tablet = await Tokens(PlatformFixture.CoordinatorUsername, PlatformFixture.CoordinatorPassword, "offline_access");
        static string SessionOf(TokenAnswer tokens) => new JsonWebToken(tokens.AccessToken).GetClaim("oi_au_id").Value;
        var api = platform.GatewayClient().As(laptop.AccessToken!);
        const string Sessions = "/api/identity/accounts/me/sessions";

        var listed = await (await (await api.GetAsync(Sessions)).HasStatus(HttpStatusCode.OK)).ReadJson<OpenSession[]>();
        Assert.Equal(SessionOf(laptop), listed.Single(s => s.Current).Id);
        Assert.Contains(listed, s => s.Id == SessionOf(phone));

        await (await api.DeleteAsync($"{Sessions}/{SessionOf(phone)}")).HasStatus(HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.BadRequest, (await Refresh(phone.RefreshToken!)).StatusCode);
        await (await Refresh(tablet.RefreshToken!)).HasStatus(HttpStatusCode.OK);

        await (await api.DeleteAsync(Sessions)).HasStatus(HttpStatusCode.NoContent);
        var left = (await (await api.GetAsync(Sessions)).ReadJson<OpenSession[]>()).Select(s => s.Id).ToList();
        Assert.Equal([SessionOf(laptop)], left);
        await (await Refresh(laptop.RefreshToken!)).HasStatus(HttpStatusCode.OK);
    }

    private Task<HttpResponseMessage> Refresh(string refreshToken) => platform.RefreshGrant(refreshToken);

    /// <summary>Reads the invitation from the mail server and follows its link on Identity's page, through the gateway.</summary>
    private async Task Activate(string email)
    {
        var mail = (await platform.Mail.WaitForAsync(email)).Single();
        var text = await platform.Mail.PlainTextAsync(mail.Id);
        var link = new Uri(Regex.Match(text, @"http://127\.0\.0\.1:\d+/account/invitation\?jeton=\S+").Value);
        Assert.Equal(platform.Gateway.Address.Authority, link.Authority);

        var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        { BaseAddress = platform.Gateway.Address };
        var page = await browser.GetStringAsync(link.PathAndQuery);
        var hidden = Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .Select(m => new KeyValuePair<string, string>(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        var activated = await browser.PostAsync("/account/invitation", new FormUrlEncodedContent(
            [.. hidden, new("password", Password), new("confirmation", Password)]));
        await activated.HasStatus(HttpStatusCode.OK);
    }

    /// <summary>An account as Identity answers it to its manager or to its owner.</summary>
    private sealed record Account(Guid Id, string Status, [property: System.Text.Json.Serialization.JsonRequired] bool OrganisationManager);

    /// <summary>One of a person's open sessions (the current one flagged).</summary>
    private sealed record OpenSession(string Id, [property: System.Text.Json.Serialization.JsonRequired] bool Current);

    private Task<TokenAnswer> Tokens(string username, string password, string scope) => platform.Tokens(username, password, scope);

    private async Task<string> AccessToken(string username, string password) => (await platform.Tokens(username, password)).AccessToken!;
}
