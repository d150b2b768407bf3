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

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        Guid id, WithdrawAidRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time,
        CancellationToken ct)
    {
        var moderator = await AidModerator.Required(http, session,
            "Seuls les coordinateurs nationaux et les référents désignés retirent les aides.", ct);
        var validation = new AidValidation();
        var reason = AidRequests.Reason(validation, request.Reason, "Indiquez pourquoi l'aide est retirée (par exemple « dispositif supprimé au 1er janvier »).");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var command = new WithdrawAid(id, reason!, moderator.User.UserId, time.GetUtcNow());
        return await AidRequests.Moderate(session, id, expected, http, moderator, state => Decide(command, state), ct);
    }
}
