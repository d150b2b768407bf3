using System.Net;
using System.Text.Json;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;

namespace Coordination.Referrals.Api.Tests;

/// <summary>The people of the tests and the requests they make, as JSON a client would send.</summary>
public sealed class Handoffs(ReferralsFactory factory)
{
    public const string Route = "/api/referrals";

    public HttpClient Worker() => factory.CreateClient().As(TestTokens.For(Roles.IscgWorker, ReferralsFactory.IscgPost, "iscg-bobigny"));
    public HttpClient Staff() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.Association, "aav-bobigny"));
    public HttpClient OtherStaff() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.Association, "aav-bobigny-2"));
    public HttpClient ChrsStaff() => factory.CreateClient().As(TestTokens.For(Roles.PartnerStaff, ReferralsFactory.Chrs, "chrs-1"));
    public HttpClient Outsider() => factory.CreateClient().As(TestTokens.For(Roles.AssociationStaff, ReferralsFactory.ThirdOrganisation, "other-1"));

    public static object Request(Guid receiver, string urgency = "immediate", object? consent = null, object? consentOverride = null,
        bool send = true, bool withConsent = true) => new
    {
        receiverOrganisationId = receiver,
        departement = "93",
        person = new { firstName = "Nadia", contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = true },
        situation = "intrafamilyViolence",
        needs = new[] { "logement-hebergement--rechercher-une-solution-dhebergement-temporaire", "coordination--aide-aux-victimes" },
        urgency,
        note = "Plainte déposée ce soir, hébergement urgent nécessaire.",
        consent = withConsent ? consent ?? new { method = "oral", scope = new { identity = true, situation = true, needs = true } } : null,
        consentOverride,
        send,
    };

    public async Task<(Guid Id, string ETag)> Send(Guid? receiver = null, string urgency = "immediate")
    {
        var response = await (await Worker().SendJson(HttpMethod.Post, Route, Request(receiver ?? ReferralsFactory.Association, urgency)))
            .HasStatus(HttpStatusCode.Created);
        return ((await response.ReadJsonElement()).GetProperty("id").GetGuid(), response.Headers.ETag!.Tag);
    }

    public static async Task<string> Act(HttpClient client, Guid id, string action, string etag, object? body = null, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        var response = await (await client.SendJson(HttpMethod.Post, $"{Route}/{id}/{action}", body ?? new { }, etag)).HasStatus(expected);
        return response.Headers.ETag?.Tag ?? "";
    }

    public static async Task<JsonElement> Get(HttpClient client, Guid id) =>
        await (await (await client.GetAsync($"{Route}/{id}")).HasStatus(HttpStatusCode.OK)).ReadJsonElement();
}
