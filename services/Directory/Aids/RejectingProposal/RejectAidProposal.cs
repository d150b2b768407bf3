namespace Coordination.Directory.Aids.RejectingProposal;

public sealed record RejectAidProposalRequest(string? Reason);

public sealed record RejectAidProposal(Guid AidId, string Reason, string RejectedBy, DateTimeOffset RejectedAt);

public static class RejectAidProposalEndpoint
{
    public static IReadOnlyList<object> Decide(RejectAidProposal command, Aid state)
    {
        if (state.Status != AidStatus.Proposed)
            throw new BusinessRuleViolation("Seule une proposition en attente peut être refusée ; une aide publiée se retire.");
        return [new AidProposalRejected(command.AidId, command.Reason, command.RejectedBy, command.RejectedAt)];
    }

    public static RouteGroupBuilder MapRejectAidProposal(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/rejection", Handle)
            .WithName("RejectAidProposal")
            .WithSummary("Refuse a proposed aid, with a reason kept in its history (moderators; If-Match required).");
        return group;
    }

    private static Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, RejectAidProposalRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
        CancellationToken ct) =>
        AidRequests.ModerateWithReason(id, request.Reason, expected, http, session,
            refusal: "Seuls les coordinateurs nationaux et les référents désignés valident les aides.",
            reasonMissing: "Indiquez pourquoi la proposition est refusée.",
            (state, moderator, reason) => Decide(new RejectAidProposal(id, reason, moderator.User.UserId, time.GetUtcNow()), state), ct);
}
