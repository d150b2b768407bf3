namespace Coordination.Directory.Aids.ReviewingCorrections;

public sealed record RejectAidCorrectionRequest(string? Reason);

public sealed record AcceptAidCorrection(Guid AidId, Guid CorrectionId, AidModerator Moderator, DateTimeOffset AcceptedAt);

public sealed record RejectAidCorrection(Guid AidId, Guid CorrectionId, string Reason, string RejectedBy, DateTimeOffset RejectedAt);

public static class ReviewAidCorrectionEndpoint
{
    /// <summary>
    /// Accepting replaces the content and counts as a verification (the moderator checked the new facts). A referent may not
    /// accept a correction that would move the aid out of their départements (e.g. make it national).
    /// </summary>
    public static IReadOnlyList<object> Decide(AcceptAidCorrection command, Aid state)
    {
        state.EnsurePublished();
        var correction = Pending(state, command.CorrectionId);
        command.Moderator.EnsureMayModerate(correction.Content);
        var by = command.Moderator.User.UserId;
        return
        [
            new AidCorrectionAccepted(command.AidId, command.CorrectionId, correction.Content, by, command.AcceptedAt),
            new AidVerified(command.AidId, by, command.AcceptedAt),
        ];
    }

    public static IReadOnlyList<object> Decide(RejectAidCorrection command, Aid state)
    {
        state.EnsurePublished();
        Pending(state, command.CorrectionId);
        return [new AidCorrectionRejected(command.AidId, command.CorrectionId, command.Reason, command.RejectedBy, command.RejectedAt)];
    }

    private static PendingCorrection Pending(Aid state, Guid correctionId) =>
        state.PendingCorrections.FirstOrDefault(c => c.CorrectionId == correctionId)
        ?? throw new ResourceNotFound("Aucune correction en attente avec cet identifiant pour cette aide.");

    public static RouteGroupBuilder MapReviewAidCorrection(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/corrections/{correctionId:guid}/acceptance", Accept)
            .WithName("AcceptAidCorrection")
            .WithSummary("Apply a proposed correction (moderators; If-Match required).");
        group.MapPost("/{id:guid}/corrections/{correctionId:guid}/rejection", Reject)
            .WithName("RejectAidCorrection")
            .WithSummary("Refuse a proposed correction with a reason (moderators; If-Match required).");
        return group;
    }

    private static async Task<NoContent> Accept(
        Guid id, Guid correctionId, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var moderator = await AidModerator.Required(http, session, CorrectionsRefusal, ct);
        var command = new AcceptAidCorrection(id, correctionId, moderator, time.GetUtcNow());
        return await AidRequests.Moderate(session, id, expected, http, moderator, state => Decide(command, state), ct);
    }

    private static Task<Results<NoContent, ValidationProblem>> Reject(
        Guid id, Guid correctionId, RejectAidCorrectionRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        TimeProvider time, CancellationToken ct) =>
        AidRequests.ModerateWithReason(id, request.Reason, expected, http, session, refusal: CorrectionsRefusal,
            reasonMissing: "Indiquez pourquoi la correction est refusée.",
            (state, moderator, reason) =>
                Decide(new RejectAidCorrection(id, correctionId, reason, moderator.User.UserId, time.GetUtcNow()), state), ct);

    private const string CorrectionsRefusal = "Seuls les coordinateurs nationaux et les référents désignés valident les corrections.";
}
