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

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, RejectAidProposalRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
        CancellationToken ct)
    {
        var moderator = await AidModerator.Required(http, session,
            "Seuls les coordinateurs nationaux et les référents désignés valident les aides.", ct);
        var validation = new AidValidation();
        var reason = AidRequests.Reason(validation, request.Reason, "Indiquez pourquoi la proposition est refusée.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new RejectAidProposal(id, reason!, moderator.User.UserId, time.GetUtcNow());
        return await AidRequests.Moderate(session, id, expected, http, moderator, state => Decide(command, state), ct);
    }
}
