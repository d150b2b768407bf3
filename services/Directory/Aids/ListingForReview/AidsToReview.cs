using Coordination.Directory.Aids.GettingDetails;

namespace Coordination.Directory.Aids.ListingForReview;

/// <summary>A moderator's work list: proposals to validate, corrections to review, published aids to verify (oldest first).</summary>
/// <param name="ReferentOf">The départements the caller is the designated referent of (empty for a national coordinator who is not).</param>
public sealed record AidsToReview(
    IReadOnlyList<AidDetails> Proposals, IReadOnlyList<AidDetails> Corrections, IReadOnlyList<AidDetails> ToVerify,
    IReadOnlyList<string> ReferentOf);

public static class AidsToReviewEndpoint
{
    public static AidsToReview Select(IEnumerable<AidDetails> aids, AidModerator moderator, DateTimeOffset now)
    {
        var mine = aids.Where(a => moderator.MayModerate(a.Content)).ToList();
        return new AidsToReview(
            [.. mine.Where(a => a.Status == AidStatus.Proposed).OrderBy(a => a.ProposedAt)],
            [.. mine.Where(a => a.Status == AidStatus.Published && a.PendingCorrections.Length > 0).OrderBy(a => a.PendingCorrections.Min(c => c.ProposedAt))],
            [.. mine.Where(a => Aid.IsStale(a.Status, a.LastVerifiedAt, now)).OrderBy(a => a.LastVerifiedAt ?? DateTimeOffset.MinValue).ThenBy(a => a.Content.Name)],
            [.. moderator.ReferentOf.Order(StringComparer.Ordinal)]);
    }

    public static RouteGroupBuilder MapAidsToReview(this RouteGroupBuilder group)
    {
        group.MapGet("/review", Handle)
            .WithName("ListAidsToReview")
            .WithSummary("Proposals, corrections and aids to verify that the caller moderates (coordinators: all; referents: their départements).");
        return group;
    }

    private static async Task<Ok<AidsToReview>> Handle(HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        var moderator = await AidModerator.For(CurrentUser.From(http.User), session, ct);
        if (!moderator.IsModerator)
            throw new AccessDenied("Seuls les coordinateurs nationaux et les référents désignés ont une liste d'aides à valider.");
        var open = await session.Query<AidDetails>().Where(a => a.Status == AidStatus.Proposed || a.Status == AidStatus.Published).ToListAsync(ct);
        return TypedResults.Ok(Select(open, moderator, time.GetUtcNow()));
    }
}
