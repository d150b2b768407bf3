using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Directory.Aids.GettingDetails;

/// <summary>An aid's sheet: its content, where it stands in moderation, and when and by whom it was last verified (user ids, never names).</summary>
public sealed record AidDetails(
    Guid Id, AidContent Content, AidStatus Status, DateTimeOffset? LastVerifiedAt, string? LastVerifiedBy,
    PendingCorrection[] PendingCorrections, string? WithdrawalReason, DateTimeOffset? WithdrawnAt,
    string ProposedBy, DateTimeOffset ProposedAt, DateTimeOffset UpdatedAt, long Version);

/// <summary>Updated in the same transaction as the events (inline): reads right after a write see it.</summary>
public sealed partial class AidDetailsProjection : SingleStreamProjection<AidDetails, Guid>
{
    public override AidDetails? Evolve(AidDetails? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, AidProposed p) => new AidDetails(p.AidId, p.Content, AidStatus.Proposed, null, null, [], null, null,
            p.ProposedBy, p.ProposedAt, p.ProposedAt, e.Version),
        (null, _) => null,
        (_, AidPublished p) => snapshot with { Status = AidStatus.Published, UpdatedAt = p.PublishedAt, Version = e.Version },
        (_, AidProposalRejected r) => snapshot with { Status = AidStatus.Rejected, UpdatedAt = r.RejectedAt, Version = e.Version },
        (_, AidVerified v) => snapshot with { LastVerifiedAt = v.VerifiedAt, LastVerifiedBy = v.VerifiedBy, UpdatedAt = v.VerifiedAt, Version = e.Version },
        (_, AidCorrectionProposed c) => snapshot with
        {
            PendingCorrections = [.. snapshot.PendingCorrections, new PendingCorrection(c.CorrectionId, c.Content, c.Comment, c.ProposedBy, c.ProposedAt)],
            UpdatedAt = c.ProposedAt,
            Version = e.Version,
        },
        (_, AidCorrectionAccepted c) => snapshot with
        {
            Content = c.Content,
            PendingCorrections = [.. snapshot.PendingCorrections.Where(p => p.CorrectionId != c.CorrectionId)],
            UpdatedAt = c.AcceptedAt,
            Version = e.Version,
        },
        (_, AidCorrectionRejected c) => snapshot with
        {
            PendingCorrections = [.. snapshot.PendingCorrections.Where(p => p.CorrectionId != c.CorrectionId)],
            UpdatedAt = c.RejectedAt,
            Version = e.Version,
        },
        (_, AidEdited c) => snapshot with { Content = c.Content, UpdatedAt = c.EditedAt, Version = e.Version },
        (_, AidWithdrawn w) => snapshot with
        {
            Status = AidStatus.Withdrawn,
            WithdrawalReason = w.Reason,
            WithdrawnAt = w.WithdrawnAt,
            PendingCorrections = [],
            UpdatedAt = w.WithdrawnAt,
            Version = e.Version,
        },
        _ => snapshot,
    };
}

/// <param name="ToVerify">Published and not verified for 12 months (or never): shown "à vérifier".</param>
/// <param name="MayModerate">Whether the caller may validate, verify, correct or withdraw it (for the portal's buttons).</param>
public sealed record AidSheet(AidDetails Aid, bool ToVerify, bool MayModerate);

public static class GetAidDetailsEndpoint
{
    public static RouteGroupBuilder MapGetAidDetails(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}", Handle)
            .WithName("GetAidDetails")
            .WithSummary("One aid's sheet, with its version as ETag.");
        return group;
    }

    private static async Task<Results<Ok<AidSheet>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        var aid = await session.LoadAsync<AidDetails>(id, ct);
        if (aid is null)
            return Problems.NotFound("Aucune aide avec cet identifiant.");
        var moderator = await AidModerator.For(CurrentUser.From(http.User), session, ct);
        http.Response.SetETag(aid.Version);
        return TypedResults.Ok(new AidSheet(aid, Aid.IsStale(aid.Status, aid.LastVerifiedAt, time.GetUtcNow()), moderator.MayModerate(aid.Content)));
    }
}
