namespace Coordination.Identity.Accounts.Disabling;

public sealed record DisableAccount(CurrentUser By, DateTimeOffset At);

public static class DisableAccountEndpoint
{
    public static IReadOnlyList<object> Decide(DisableAccount command, Account state)
    {
        state.EnsureNotSelf(command.By, "désactiver");
        if (state.Disabled)
            throw new BusinessRuleViolation("Ce compte est déjà désactivé.");
        return [new AccountDisabled(state.Id, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapDisableAccount(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/disablement", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                AccountCommand.Execute(id, expected, http, session, (state, actor) => Decide(new DisableAccount(actor, time.GetUtcNow()), state), ct))
            .WithName("DisableAccount")
            .WithSummary("Take access away: no sign-in, no refresh, a pending invitation or reset link stops working (admins; managers for their own staff).");
        return group;
    }
}
