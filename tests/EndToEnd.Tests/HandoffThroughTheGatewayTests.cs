extern alias dashboard;

namespace Coordination.EndToEnd.Tests;

/// <summary>
/// The whole path of a hand-off: organisations registered in the Directory reach Referrals through RabbitMQ; an ISCG
/// worker sends, the association takes it to completion, all through the gateway; every transition reaches the Dashboard.
/// </summary>
public class HandoffThroughTheGatewayTests(PlatformFixture platform) : IClassFixture<PlatformFixture>
{
    private HttpClient As(string role, Guid? organisation = null) =>
        platform.GatewayClient().As(TestTokens.For(role, organisation, issuer: platform.Issuer));

    private async Task<Guid> Register(HttpClient coordinator, object body)
    {
        var response = await (await coordinator.SendJson(HttpMethod.Post, "/api/directory/organisations", body)).HasStatus(HttpStatusCode.Created);
        return await response.CreatedId();
    }

    [Fact]
    public async Task A_handoff_from_sent_to_completed_reaches_the_dashboard()
    {
        var coordinator = As(Roles.NationalCoordinator);
        var post = await Register(coordinator, new
        {
            name = "ISCG commissariat de Bobigny", kind = "iscgPost", iscgPost = new { setting = "police", employer = "departement" },
            departements = new[] { "93" }, needs = new[] { "famille--surmonter-conflits-separation-violence" },
        });
        var association = await Register(coordinator, new
        {
            name = "France Victimes 93", kind = "victimSupportAssociation",
            departements = new[] { "93" }, needs = new[] { "coordination--aide-aux-victimes" },
        });
        var worker = As(Roles.IscgWorker, post);
        var staff = As(Roles.AssociationStaff, association);

        // The Directory's events reach Referrals asynchronously: the first send may find the receiver still unknown.
        var sent = await HttpClientExtensions.Eventually(() => worker.SendJson(HttpMethod.Post, "/api/referrals", new
        {
            receiverOrganisationId = association, departement = "93",
            person = new { firstName = "Inès", ageBand = "from18To25", minorsInvolved = false },
            situation = "intrafamilyViolence", needs = new[] { "coordination--aide-aux-victimes" }, urgency = "within24Hours",
            consent = new { method = "written", scope = new { identity = true, situation = true, needs = true } },
        }), r => r.StatusCode != HttpStatusCode.BadRequest, TimeSpan.FromSeconds(30), "receiver known to Referrals");
        await sent.HasStatus(HttpStatusCode.Created);
        var id = await sent.CreatedId();
        var etag = sent.Headers.ETag!.Tag;

        foreach (var (action, body) in new (string, object)[]
                 {
                     ("acknowledgement", new { }), ("acceptance", new { }), ("first-contact", new { }),
                     ("completion", new { outcome = "partlyHelped" }),
                 })
        {
            var response = await (await staff.SendJson(HttpMethod.Post, $"/api/referrals/{id}/{action}", body, etag)).HasStatus(HttpStatusCode.NoContent);
            etag = response.Headers.ETag!.Tag;
        }
        var seen = await (await (await worker.GetAsync($"/api/referrals/{id}")).HasStatus(HttpStatusCode.OK)).ReadJson<ReferralStatus>();
        Assert.Equal("completed", seen.Status);

        // Sent, acknowledged, accepted, first contact, completed: five contracts in the Dashboard's stream for this referral.
        var store = platform.Dashboard.Services.GetRequiredService<IDocumentStore>();
        var received = await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = store.QuerySession();
            return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data.GetType().Name).ToList();
        }, names => names.Count == 5, TimeSpan.FromSeconds(30), "referral events stored by the Dashboard");
        Assert.Equal(
            ["ReferralAccepted", "ReferralAcknowledged", "ReferralCompleted", "ReferralFirstContactRecorded", "ReferralSent"],
            received.Order());
    }
}
