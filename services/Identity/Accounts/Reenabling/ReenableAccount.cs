namespace Coordination.Identity.Accounts.Reenabling;

public sealed record ReenableAccount(CurrentUser By, DateTimeOffset At);

public static class ReenableAccountEndpoint
{
    public static IReadOnlyList<object> Decide(ReenableAccount command, Account state)
    {
        if (!state.Disabled)
            throw new BusinessRuleViolation("Ce compte n'est pas désactivé.");
        return [new AccountReenabled(state.Id, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapReenableAccount(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/reenablement", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                AccountCommand.Execute(id, expected, http, session, (state, actor) => Decide(new ReenableAccount(actor, time.GetUtcNow()), state), ct))
            .WithName("ReenableAccount")
            .WithSummary("Give access back to a disabled account, with its former password (admins; managers for their own staff).");
        return group;
    }
}
