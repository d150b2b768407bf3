using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Identity.Accounts.SecondFactor;

public static class ResetMfaEndpoint
{
    public static RouteGroupBuilder MapResetMfa(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/mfa/reset", (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, CancellationToken ct) =>
                AccountCommand.Execute(id, expected, http, session, (state, actor) => MfaDecisions.Reset(actor.UserId, state, time.GetUtcNow()), ct))
            .RequireAuthorization(Policies.Admins)
            .WithName("ResetAccountMfa")
            .WithSummary("Remove someone's second factor (a lost phone, no recovery code left): admins only, recorded with who did it; " +
                         "the account's sessions end and it enrols again at its next sign-in if its role requires it.");
        return group;
    }
}
