using System.Net;
using System.Text.RegularExpressions;
using Coordination.Identity.Accounts;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Identity.Tests;

/// <summary>Accounts given and taken away: invitations by e-mail, managers and their staff, disabling, password reset.</summary>
public class AccountLifecycleTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private const string Accounts = "/api/identity/accounts";
    private const string NewPassword = "Une phrase de passe solide";

    public sealed record AccountView(
        Guid Id, string UserId, string Name, string? Email, string Role, Guid? OrganisationId, bool OrganisationManager,
        string Status, DateTimeOffset? InvitationExpiresAt, DateTimeOffset? LastSignInAt, long Version);

    private HttpClient Api(string role, Guid? organisation = null, bool manager = false, string? userId = null) =>
        factory.CreateClient().As(TestTokens.For(role, organisation, userId: userId, manager: manager));

    private HttpClient Admin => Api(Roles.Admin);

    private static string NewEmail(string who) => $"{who}.{Guid.NewGuid():N}"[..24] + "@association.test";

    [Fact]
    public async Task A_coordinator_gives_a_registered_organisation_its_first_manager_who_activates_the_account_from_the_emailed_link()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var email = NewEmail("manon");

        var invited = await When(() => Api(Roles.NationalCoordinator).SendJson(HttpMethod.Post, Accounts, new
        {
            email, name = "Manon R.", role = Roles.AssociationStaff, organisationId = organisation, organisationManager = true,
        }))
            .Then<AccountView>(HttpStatusCode.Created, a =>
            {
                Assert.Equal("invited", a.Status);
                Assert.True(a.OrganisationManager);
                Assert.Equal(organisation, a.OrganisationId);
            });

        var mail = await MailTo(email);
        Assert.StartsWith("Bonjour Manon R.,", mail.Text);
        Assert.Contains("http://coordination.test/account/invitation?jeton=", mail.Text);
        Assert.Contains("Manon R.", mail.Source); // the addressee's name in To
        // Nothing personal beyond the name: no role, organisation or address in the body.
        Assert.DoesNotContain(email, mail.Text);
        Assert.DoesNotContain(organisation.ToString(), mail.Text);
        Assert.DoesNotContain("association_staff", mail.Text);

        var browser = Browser();
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(LinkPath(mail)));
        Assert.Contains("Activer votre compte", page);
        var tooShort = await PostPage(browser, LinkPath(mail), ("password", "court"), ("confirmation", "court"));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains("au moins 12 caractères", await Body(tooShort));
        var activated = await PostPage(browser, LinkPath(mail), ("password", NewPassword), ("confirmation", NewPassword));
        await activated.HasStatus(HttpStatusCode.OK);
        Assert.Contains("Votre compte est activé", await Body(activated));

        await (await PasswordGrant(email, NewPassword)).HasStatus(HttpStatusCode.OK);
        var again = await PostPage(Browser(), LinkPath(mail), ("password", "Un autre mot de passe"), ("confirmation", "Un autre mot de passe"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("n'est plus valable", await Body(again));

        var stored = await Admin.GetAsync($"{Accounts}/{invited.Id}");
        Assert.Equal("active", (await stored.ReadJson<AccountView>()).Status);
    }

    [Fact]
    public async Task A_coordinator_gives_only_the_first_manager_and_a_manager_invites_only_into_their_own_organisation()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var elsewhere = await factory.RegisteredOrganisation();
        var coordinator = Api(Roles.NationalCoordinator);
        await Invite(coordinator, NewEmail("first"), organisation, manager: true);

        var second = await When(() => coordinator.SendJson(HttpMethod.Post, Accounts, new
        {
            email = NewEmail("second"), name = "Second R.", role = Roles.AssociationStaff, organisationId = organisation, organisationManager = true,
        }))
            .Then(HttpStatusCode.Conflict);
        Assert.Contains("déjà un responsable", (await second.Problem()).Detail);
        var staff = await When(() => coordinator.SendJson(HttpMethod.Post, Accounts, new
        {
            email = NewEmail("staff"), name = "Staff R.", role = Roles.AssociationStaff, organisationId = elsewhere, organisationManager = false,
        }))
            .Then(HttpStatusCode.Forbidden);
        Assert.Contains("premier responsable", (await staff.Problem()).Detail);

        var manager = Api(Roles.AssociationStaff, organisation, manager: true);
        await When(() => manager.SendJson(HttpMethod.Post, Accounts, new
        {
            email = NewEmail("other"), name = "Autre R.", role = Roles.AssociationStaff, organisationId = elsewhere,
        }))
            .Then(HttpStatusCode.Forbidden);
        await When(() => manager.SendJson(HttpMethod.Post, Accounts, new { email = NewEmail("admin"), name = "Admin R.", role = Roles.Admin }))
            .Then(HttpStatusCode.BadRequest);
        // Leaving the organisation out means the manager's own.
        await When(() => manager.SendJson(HttpMethod.Post, Accounts, new { email = NewEmail("colleague"), name = "Collègue R.", role = Roles.AssociationStaff }))
            .Then<AccountView>(HttpStatusCode.Created, a => Assert.Equal(organisation, a.OrganisationId));
        await When(() => Api(Roles.AssociationStaff, organisation).SendJson(HttpMethod.Post, Accounts, new
        {
            email = NewEmail("nope"), name = "Non R.", role = Roles.AssociationStaff,
        }))
            .Then(HttpStatusCode.Forbidden);
        await When(() => coordinator.SendJson(HttpMethod.Post, Accounts, new
        {
            email = NewEmail("ghost"), name = "Fantôme R.", role = Roles.AssociationStaff, organisationId = Guid.NewGuid(), organisationManager = true,
        }))
            .Then(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_address_gets_one_account_only()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var email = NewEmail("double");
        await Invite(Admin, email, organisation);

        var again = await When(() => Admin.SendJson(HttpMethod.Post, Accounts, new
        {
            email = email.ToUpperInvariant(), name = "Double R.", role = Roles.AssociationStaff, organisationId = organisation,
        }))
            .Then(HttpStatusCode.Conflict);
        Assert.Contains("existe déjà", (await again.Problem()).Detail);
    }

    [Fact]
    public async Task A_manager_disables_a_colleague_who_can_then_neither_sign_in_nor_refresh_and_re_enables_them()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var (email, id) = await ActiveAccount(organisation);
        var refreshToken = (await (await PasswordGrant(email, NewPassword, "offline_access")).ReadJson<TokenAnswer>()).RefreshToken!;
        var manager = Api(Roles.AssociationStaff, organisation, manager: true);
        var version = (await manager.GetAsync($"{Accounts}/{id}")).Headers.ETag!.Tag;

        await When(() => manager.SendJson(HttpMethod.Post, $"{Accounts}/{id}/disablement", new { })).Then((HttpStatusCode)428);
        await When(() => manager.SendJson(HttpMethod.Post, $"{Accounts}/{id}/disablement", new { }, "\"999\"")).Then(HttpStatusCode.PreconditionFailed);
        var otherManager = Api(Roles.AssociationStaff, Guid.NewGuid(), manager: true);
        var notYours = await When(() => otherManager.SendJson(HttpMethod.Post, $"{Accounts}/{id}/disablement", new { }, version)).Then(HttpStatusCode.NotFound);
        var unknown = await When(() => otherManager.SendJson(HttpMethod.Post, $"{Accounts}/{Guid.NewGuid()}/disablement", new { }, version))
            .Then(HttpStatusCode.NotFound);
        Assert.Equal((await unknown.Problem()).Detail, (await notYours.Problem()).Detail);

        var disabled = await When(() => manager.SendJson(HttpMethod.Post, $"{Accounts}/{id}/disablement", new { }, version)).Then(HttpStatusCode.NoContent);

        var signIn = await PasswordGrant(email, NewPassword);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal("invalid_grant", (await signIn.ReadJson<TokenAnswer>()).Error);
        var refresh = await factory.CreateClient().PostAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("disabled", (await (await manager.GetAsync($"{Accounts}/{id}")).ReadJson<AccountView>()).Status);

        await When(() => manager.SendJson(HttpMethod.Post, $"{Accounts}/{id}/reenablement", new { }, disabled.Response.Headers.ETag!.Tag))
            .Then(HttpStatusCode.NoContent);
        await (await PasswordGrant(email, NewPassword)).HasStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_role_change_ends_the_sessions_issued_before_it_and_a_manager_cannot_change_their_own()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var (email, id) = await ActiveAccount(organisation);
        var refreshToken = (await (await PasswordGrant(email, NewPassword, "offline_access")).ReadJson<TokenAnswer>()).RefreshToken!;
        var admin = Admin;
        var account = await (await admin.GetAsync($"{Accounts}/{id}")).ReadJson<AccountView>();

        var self = Api(Roles.AssociationStaff, organisation, manager: true, userId: account.UserId);
        var own = await When(() => self.SendJson(HttpMethod.Put, $"{Accounts}/{id}/role",
            new { role = Roles.PartnerStaff, organisationManager = false }, $"\"{account.Version}\"")).Then(HttpStatusCode.Conflict);
        Assert.Contains("votre propre compte", (await own.Problem()).Detail);

        await When(() => admin.SendJson(HttpMethod.Put, $"{Accounts}/{id}/role",
            new { role = Roles.AssociationStaff, organisationManager = true }, $"\"{account.Version}\"")).Then(HttpStatusCode.NoContent);

        var refresh = await factory.CreateClient().PostAsync("/connect/token", Form(("grant_type", "refresh_token"), ("refresh_token", refreshToken)));
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        var fresh = await (await PasswordGrant(email, NewPassword)).ReadJson<TokenAnswer>();
        Assert.Equal("true", new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(fresh.AccessToken).GetClaim("org_manager").Value);
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_once_from_the_emailed_link_and_an_unknown_address_gets_the_same_answer()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var (email, _) = await ActiveAccount(organisation);

        var known = await PostPage(Browser(), "/account/forgotten-password", ("email", email));
        var unknownAddress = NewEmail("nobody");
        var unknown = await PostPage(Browser(), "/account/forgotten-password", ("email", unknownAddress));
        Assert.Equal(await Body(known), await Body(unknown));
        Assert.Contains("Si un compte actif correspond à cette adresse", await Body(known));

        var mail = await MailTo(email, subject: "Réinitialisation de votre mot de passe Coordination");
        Assert.Contains("http://coordination.test/account/reset-password?jeton=", mail.Text);
        var reset = await PostPage(Browser(), LinkPath(mail), ("password", "Encore une phrase solide"), ("confirmation", "Encore une phrase solide"));
        await reset.HasStatus(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.BadRequest, (await PasswordGrant(email, NewPassword)).StatusCode);
        await (await PasswordGrant(email, "Encore une phrase solide")).HasStatus(HttpStatusCode.OK);
        var replayed = await PostPage(Browser(), LinkPath(mail), ("password", "Troisième phrase solide"), ("confirmation", "Troisième phrase solide"));
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Empty(await factory.Mail.ToAsync(unknownAddress));
    }

    [Fact]
    public async Task Everyone_changes_their_own_password_with_the_current_one()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var (email, id) = await ActiveAccount(organisation);
        var userId = (await (await Admin.GetAsync($"{Accounts}/{id}")).ReadJson<AccountView>()).UserId;
        var me = Api(Roles.AssociationStaff, organisation, userId: userId);

        var wrong = await When(() => me.SendJson(HttpMethod.Put, $"{Accounts}/me/password", new { currentPassword = "faux", newPassword = "Nouvelle phrase solide" }))
            .Then(HttpStatusCode.BadRequest);
        Assert.Contains("incorrect", (await wrong.Problem()).Errors!["currentPassword"][0]);
        await When(() => me.SendJson(HttpMethod.Put, $"{Accounts}/me/password", new { currentPassword = NewPassword, newPassword = "Nouvelle phrase solide" }))
            .Then(HttpStatusCode.NoContent);

        await (await PasswordGrant(email, "Nouvelle phrase solide")).HasStatus(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.BadRequest, (await PasswordGrant(email, NewPassword)).StatusCode);
        var mine = await (await me.GetAsync($"{Accounts}/me")).ReadJson<AccountView>();
        Assert.Equal(email, mine.Email);
        Assert.NotNull(mine.LastSignInAt);
    }

    [Fact]
    public async Task A_manager_sees_their_own_team_only()
    {
        var organisation = await Given(factory.RegisteredOrganisation);
        var elsewhere = await factory.RegisteredOrganisation();
        var mine = await Invite(Admin, NewEmail("mine"), organisation);
        var theirs = await Invite(Admin, NewEmail("theirs"), elsewhere);

        var team = await When(() => Api(Roles.AssociationStaff, organisation, manager: true).GetAsync(Accounts))
            .Then<AccountView[]>(HttpStatusCode.OK, list => Assert.Equal([mine.Id], list.Select(a => a.Id)));
        await When(() => Api(Roles.AssociationStaff, organisation, manager: true).GetAsync($"{Accounts}?organisationId={elsewhere}"))
            .Then(HttpStatusCode.Forbidden);
        await When(() => Api(Roles.AssociationStaff, organisation, manager: true).GetAsync($"{Accounts}/{theirs.Id}")).Then(HttpStatusCode.NotFound);
        await When(() => Api(Roles.AssociationStaff, organisation).GetAsync(Accounts)).Then(HttpStatusCode.Forbidden);
        Assert.Single(team);
    }

    // Helpers

    private static async Task<AccountView> Invite(HttpClient by, string email, Guid organisation, bool manager = false) =>
        await When(() => by.SendJson(HttpMethod.Post, Accounts, new
        {
            email, name = "Invitée R.", role = Roles.AssociationStaff, organisationId = organisation, organisationManager = manager,
        }))
            .Then<AccountView>(HttpStatusCode.Created, _ => { });

    /// <summary>An invited account whose invitee has followed the link: it signs in with <see cref="NewPassword"/>.</summary>
    private async Task<(string Email, Guid Id)> ActiveAccount(Guid organisation)
    {
        var email = NewEmail("active");
        var account = await Invite(Admin, email, organisation);
        var activated = await PostPage(Browser(), LinkPath(await MailTo(email)), ("password", NewPassword), ("confirmation", NewPassword));
        await activated.HasStatus(HttpStatusCode.OK);
        return (email, account.Id);
    }

    private Task<Received> MailTo(string address, string subject = "Votre compte Coordination") => Received.Wait(factory.Mail, address, subject);

    private static string LinkPath(Received mail) => mail.LinkPath;

    public HttpClient Browser() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Opens one of Identity's pages and posts its form, as a browser does (antiforgery token and cookie, hidden fields).</summary>
    public static async Task<HttpResponseMessage> PostPage(HttpClient browser, string pathAndQuery, params (string Key, string Value)[] fields)
    {
        var page = await browser.GetStringAsync(pathAndQuery);
        var hidden = Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
            .Select(m => (m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value)));
        var action = Regex.Match(page, "<form method=\"post\" action=\"([^\"]+)\"").Groups[1].Value;
        return await browser.PostAsync(action, Form([.. hidden, .. fields]));
    }

    /// <summary>The page as a person reads it (entities decoded).</summary>
    private static async Task<string> Body(HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    private Task<HttpResponseMessage> PasswordGrant(string username, string password, string scope = "") =>
        factory.CreateClient().PostAsync("/connect/token", Form(("grant_type", "password"), ("username", username), ("password", password), ("scope", scope)));

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));
}

/// <summary>A mail as the person reads it: its text (with the link) and its whole source (headers).</summary>
public sealed record Received(string Subject, string Text, string Source)
{
    public static async Task<Received> Wait(MailBox box, string address, string subject)
    {
        var mails = await HttpClientExtensions.Eventually(async () => (await box.ToAsync(address)).Where(m => m.Subject == subject).ToList(),
            found => found.Count > 0, what: $"an e-mail « {subject} » in the mail server");
        var mail = mails.OrderBy(m => m.ReceivedDate).Last();
        return new Received(mail.Subject, await box.PlainTextAsync(mail.Id), await box.SourceAsync(mail.Id));
    }

    public string LinkPath => new Uri(Regex.Match(Text, @"http://coordination\.test\S+").Value).PathAndQuery;
}
