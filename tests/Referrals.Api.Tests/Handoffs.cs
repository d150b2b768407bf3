using System.Net;
using Coordination.Referrals.Auditing;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.GettingDetails;
using Coordination.Referrals.ListingReferrals;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using static Coordination.Testing.Specification;

namespace Coordination.Referrals.Api.Tests;

/// <summary>The people of the tests and the requests they make, as JSON a client would send; answers read as the API's records.</summary>
public sealed class Handoffs(ReferralsFactory factory)
{
    public const string Route = "/api/referrals";

    public HttpClient Worker() => factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, ReferralsFactory.IscgPost, "iscg-bobigny"));
    public HttpClient Staff() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.Association, "aav-bobigny"));
    public HttpClient OtherStaff() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.Association, "aav-bobigny-2"));
    public HttpClient ChrsStaff() => factory.CreateClient().As(TestTokens.For(Roles.PartnerStaff, ReferralsFactory.Chrs, "chrs-1"));
    public HttpClient Outsider() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.ThirdOrganisation, "other-1"));
    public HttpClient Admin(string userId = "admin-1") => factory.CreateClient().As(TestTokens.For(Roles.Admin, userId: userId));
    public HttpClient Manager(Guid organisation, string userId) =>
        factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, organisation, userId, manager: true));

    public static object Request(Guid receiver, string urgency = "immediate", object? consent = null, object? consentOverride = null,
        bool send = true, bool withConsent = true, string departement = "93") => new
        {
            receiverOrganisationId = receiver,
            departement,
            person = new { firstName = "Nadia", contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = true },
            situation = "intrafamilyViolence",
            needs = new[] { "logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "coordination--aide-aux-victimes" },
            urgency,
            note = "Plainte déposée ce soir, hébergement urgent nécessaire.",
            consent = withConsent ? consent ?? new { method = "oral", scope = new { identity = true, situation = true, needs = true } } : null,
            consentOverride,
            send,
        };

    public async Task<(Guid Id, string ETag)> Send(Guid? receiver = null, string urgency = "immediate", object? consent = null, string departement = "93")
    {
        var answer = await When(() => Worker().SendJson(HttpMethod.Post, Route,
            Request(receiver ?? ReferralsFactory.Association, urgency, consent, departement: departement))).Then(HttpStatusCode.Created);
        return ((await answer.Body<ReferralCreated>()).Id, answer.Response.Headers.ETag!.Tag);
    }

    /// <summary>A command with the given ETag; answers the new ETag.</summary>
    public static async Task<string> Act(HttpClient client, Guid id, string action, string etag, object? body = null, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        var answer = await When(() => client.SendJson(HttpMethod.Post, $"{Route}/{id}/{action}", body ?? new { }, etag)).Then(expected);
        return answer.Response.Headers.ETag?.Tag ?? "";
    }

    public static Task<ReferralView> Get(HttpClient client, Guid id) => Read<ReferralView>(client, $"{Route}/{id}");

    public static async Task<string> ETagOf(HttpClient client, Guid id) =>
        (await When(() => client.GetAsync($"{Route}/{id}")).Then(HttpStatusCode.OK)).Response.Headers.ETag!.Tag;

    public static Task<List<HistoryEntry>> History(HttpClient client, Guid id) => Read<List<HistoryEntry>>(client, $"{Route}/{id}/history");

    public static Task<List<ChainHop>> Chain(HttpClient client, Guid id) => Read<List<ChainHop>>(client, $"{Route}/{id}/chain");

    public static Task<List<AuditEntry>> Audit(HttpClient client, Guid id) => Read<List<AuditEntry>>(client, $"{Route}/{id}/audit");

    public static Task<ReferralsPage> Inbox(HttpClient client, string query = "") => Read<ReferralsPage>(client, $"{Route}/inbox{query}");

    public static Task<ReferralsPage> Sent(HttpClient client, string query = "") => Read<ReferralsPage>(client, $"{Route}/sent{query}");

    /// <summary>A redirection or a re-send: the new referral's id.</summary>
    public static async Task<Guid> Forward(HttpClient client, Guid id, string action, string etag, object body)
    {
        var answer = await When(() => client.SendJson(HttpMethod.Post, $"{Route}/{id}/{action}", body, etag)).Then(HttpStatusCode.Created);
        return action == "redirection"
            ? (await answer.Body<Redirecting.RedirectionResult>()).NewReferralId
            : (await answer.Body<Resending.ResendResult>()).NewReferralId;
    }

    public static Task<T> Read<T>(HttpClient client, string url) => When(() => client.GetAsync(url)).Then<T>(HttpStatusCode.OK, _ => { });
}
