using Coordination.Identity.Mail;
using Microsoft.Extensions.Options;

namespace Coordination.Identity.Accounts.Inviting;

public sealed record RenewInvitation(string InvitationHash, DateTimeOffset ExpiresAt, CurrentUser By, DateTimeOffset At);

/// <summary>An invitation lost or expired: a new e-mail, a new link; the old link stops working.</summary>
public static class RenewInvitationEndpoint
{
    public static IReadOnlyList<object> Decide(RenewInvitation command, Account state)
    {
        if (state.Activated)
            throw new BusinessRuleViolation("Ce compte est déjà activé : pour un mot de passe oublié, la personne utilise « Mot de passe oublié ».");
        if (state.Disabled)
            throw new BusinessRuleViolation("Ce compte est désactivé : réactivez-le d'abord.");
        return [new AccountInvitationRenewed(state.Id, command.InvitationHash, command.ExpiresAt, command.By.UserId, command.At)];
    }

    public static RouteGroupBuilder MapRenewInvitation(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/invitation-renewal", async (Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                MailOutbox outbox, AccountMails mails, IOptions<OneTimeLinkOptions> links, TimeProvider time, CancellationToken ct) =>
            {
                var actor = CurrentUser.From(http.User);
                var (token, hash) = OneTimeLinks.New(id);
                var at = time.GetUtcNow();
                var command = new RenewInvitation(hash, at + links.Value.InvitationLifetime, actor, at);
                var renewed = await session.ExecuteCommand<Account>(id, expected, http, state =>
                {
                    var events = Decide(command, state);
                    outbox.Enqueue(session, mails.Invitation(state.Name, state.Email!, token, command.ExpiresAt));
                    return events;
                }, ct, authorize: state => state.EnsureManagedBy(actor));
                outbox.Wake();
                return renewed;
            })
            .WithName("RenewInvitation")
            .WithSummary("Send a new invitation link (72 h) to an account not yet activated (admins; managers for their own staff).");
        return group;
    }
}
