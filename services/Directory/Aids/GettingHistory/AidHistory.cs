namespace Coordination.Directory.Aids.GettingHistory;

/// <summary>One change of an aid: what, by whom (user id), when, and the reason or comment given.</summary>
/// <param name="Change">proposed, published, proposalRejected, verified, correctionProposed, correctionAccepted, correctionRejected, edited, withdrawn.</param>
public sealed record AidHistoryEntry(long Version, string Change, string By, DateTimeOffset At, string? Note, Guid? CorrectionId);

public static class AidHistoryEndpoint
{
    public static AidHistoryEntry? Entry(long version, object data) => data switch
    {
        AidProposed e => new(version, "proposed", e.ProposedBy, e.ProposedAt, null, null),
        AidPublished e => new(version, "published", e.PublishedBy, e.PublishedAt, null, null),
        AidProposalRejected e => new(version, "proposalRejected", e.RejectedBy, e.RejectedAt, e.Reason, null),
        AidVerified e => new(version, "verified", e.VerifiedBy, e.VerifiedAt, null, null),
        AidCorrectionProposed e => new(version, "correctionProposed", e.ProposedBy, e.ProposedAt, e.Comment, e.CorrectionId),
        AidCorrectionAccepted e => new(version, "correctionAccepted", e.AcceptedBy, e.AcceptedAt, null, e.CorrectionId),
        AidCorrectionRejected e => new(version, "correctionRejected", e.RejectedBy, e.RejectedAt, e.Reason, e.CorrectionId),
        AidEdited e => new(version, "edited", e.EditedBy, e.EditedAt, null, null),
        AidWithdrawn e => new(version, "withdrawn", e.WithdrawnBy, e.WithdrawnAt, e.Reason, null),
        _ => null,
    };

    public static RouteGroupBuilder MapAidHistory(this RouteGroupBuilder group)
    {
        group.MapGet("/{id:guid}/history", Handle)
            .WithName("GetAidHistory")
            .WithSummary("Every change of an aid, oldest first, with its author.");
        return group;
    }

    private static async Task<Results<Ok<IReadOnlyList<AidHistoryEntry>>, ProblemHttpResult>> Handle(
        Guid id, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0 || events[0].Data is not AidProposed)
            return Problems.NotFound("Aucune aide avec cet identifiant.");
        IReadOnlyList<AidHistoryEntry> entries = [.. events.Select(e => Entry(e.Version, e.Data)).OfType<AidHistoryEntry>()];
        return TypedResults.Ok(entries);
    }
}
