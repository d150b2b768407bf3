using System.Text.Json.Serialization;
using Coordination.Referrals.Privacy;

namespace Coordination.Referrals.GettingDetails;

/// <summary>
/// One hop of a person's path: who it went to, where it stands and the receiver's answers. Never the person's
/// identity; the free texts (decline message, redirection message, closing note) only for the collector, who owns them.
/// </summary>
public sealed record ChainHop(
    Guid Id, [property: JsonConverter(typeof(ReferralStatusCode))] ReferralStatus Status, Guid SenderOrganisationId,
    Guid ReceiverOrganisationId, Guid? RedirectedFrom, Guid? ResentFrom, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    bool Overdue, DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt, Outcome? Outcome,
    string? OutcomeNote, IReadOnlyList<DeclineReason>? DeclineReasons, string? DeclineMessage, string? StatusReason, DateTimeOffset LastChangedAt);

/// <summary>
/// The person's whole path: the referral the collector sent, every redirection and every re-send after it, in order.
/// The hops share the person (and their key), which is how they are found.
/// </summary>
public static class ReferralChain
{
    /// <summary>The hops the caller may see (every one for the collector and admins; otherwise those it is party to).</summary>
    public static async Task<IReadOnlyList<ChainHop>> Load(IQuerySession session, ReferralDetails referral, CurrentUser user, CancellationToken ct)
    {
        var subject = referral.Subject;
        var hops = await session.Query<ReferralDetails>()
            .Where(r => r.DataSubjectId == subject || r.Id == subject)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).Take(200).ToListAsync(ct);
        var keys = await KeyRing.For(session, hops, ct);
        return [.. hops.Select(hop => (Hop: hop, Viewer: ReferralView.RelationOf(hop, user)))
            .Where(seen => seen.Viewer is not null)
            .Select(seen => Of(seen.Hop, seen.Viewer == Viewer.Collector ? keys : null))];
    }

    private static ChainHop Of(ReferralDetails hop, KeyRing? collectorKeys) => new(
        hop.Id, hop.Status, hop.SenderOrganisationId, hop.ReceiverOrganisationId, hop.RedirectedFrom, hop.ResentFrom, hop.CreatedAt,
        hop.SentAt, hop.Overdue, hop.AcknowledgedAt, hop.AcceptedAt, hop.FirstContactAt, hop.Outcome, collectorKeys?.Reveal(hop.OutcomeNote),
        hop.Decline?.Reasons, collectorKeys?.Reveal(hop.Decline?.Message), collectorKeys?.Reveal(hop.StatusReason), hop.LastChangedAt);

    public static RouteGroupBuilder MapReferralChain(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/chain", async Task<Results<Ok<IReadOnlyList<ChainHop>>, ProblemHttpResult>> (
                Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var referral = await session.LoadAsync<ReferralDetails>(id, ct);
                var user = CurrentUser.From(http.User);
                if (referral is null || ReferralView.RelationOf(referral, user) is not { } viewer)
                    return Problems.NotFound();
                if (referral.ArchivedAt is not null && viewer != Viewer.Support)
                    return GetReferralEndpoints.Archived();
                var chain = await Load(session, referral, user, ct);
                Auditing.ReferralAudit.RecordRead(session, http, id, "chain", time.GetUtcNow());
                await session.SaveChangesAsync(ct);
                return TypedResults.Ok(chain);
            })
            .WithName("GetReferralChain")
            .WithSummary("The person's path: every hop (redirections, re-sends) with its receiver, status and answers; all of it for the collector.");
        return group;
    }
}
