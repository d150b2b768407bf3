namespace Coordination.Directory.Aids.Withdrawing;

public sealed record WithdrawAidRequest(string? Reason);

public sealed record WithdrawAid(Guid AidId, string Reason, string WithdrawnBy, DateTimeOffset WithdrawnAt);

public static class WithdrawAidEndpoint
{
    /// <summary>The aid leaves the guide and searches; its sheet and history stay, with the reason.</summary>
    public static IReadOnlyList<object> Decide(WithdrawAid command, Aid state)
    {
        state.EnsurePublished();
        return [new AidWithdrawn(command.AidId, command.Reason, command.WithdrawnBy, command.WithdrawnAt)];
    }

    public static RouteGroupBuilder MapWithdrawAid(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/withdrawal", Handle)
            .WithName("WithdrawAid")
            .WithSummary("Withdraw a published aid with a reason kept in its history (moderators; If-Match required).");
        return group;
    }

    private static Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, WithdrawAidRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
        CancellationToken ct) =>
        AidRequests.ModerateWithReason(id, request.Reason, expected, http, session,
            refusal: "Seuls les coordinateurs nationaux et les référents désignés retirent les aides.",
            reasonMissing: "Indiquez pourquoi l'aide est retirée (par exemple « dispositif supprimé au 1er janvier »).",
            (state, moderator, reason) => Decide(new WithdrawAid(id, reason, moderator.User.UserId, time.GetUtcNow()), state), ct);
}
