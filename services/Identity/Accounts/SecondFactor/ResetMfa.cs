using Coordination.Identity.Mail;

namespace Coordination.Identity.Accounts.SecondFactor;

public static class ResetMfaEndpoint
{
    public static RouteGroupBuilder MapResetMfa(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/mfa/reset", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                MailOutbox outbox, AccountMails mails, TimeProvider time, CancellationToken ct) =>
                AccountCommand.Execute(id, expected, http, session, (state, actor) =>
                {
                    var events = MfaDecisions.Reset(actor.UserId, state, time.GetUtcNow());
                    // Told in the same transaction: the person must enrol again, and may not be the one who asked.
                    if (state.Email is { } email)
                        outbox.Enqueue(session, mails.MfaReset(state.Name, email));
                    return events;
                }, ct))
            .RequireAuthorization(Policies.Admins)
            .WithName("ResetAccountMfa")
            .WithSummary("Remove someone's second factor (a lost phone, no recovery code left): admins only, recorded with who did it; " +
                         "the account's sessions end and it enrols again at its next sign-in if its role requires it.");
        return group;
    }
}
