using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Identity.Accounts.SigningInWithProConnect;

/// <summary>
/// What ProConnect said of the person, as the callback read it. <paramref name="Email"/> is null when ProConnect gave
/// none; <paramref name="EmailVerified"/> is false only when ProConnect said <c>email_verified: false</c> (ProConnect
/// asserts that the addresses it gives are verified, so an absent claim counts as verified).
/// </summary>
public sealed record ProConnectIdentity(string Subject, string? Email, bool EmailVerified, string? Acr)
{
    /// <summary>The address an account may be found by: only a verified one, in the form invitations store it.</summary>
    public string? UsableEmail => EmailVerified && Email is { Length: > 0 } email ? email.Trim().ToLowerInvariant() : null;
}

/// <param name="FoundBySubject">The account was found by the ProConnect <c>sub</c> already linked to it, not by e-mail.</param>
/// <param name="Delayed">Too many refused sign-ins from this address lately (<see cref="SignInThrottling"/>).</param>
public sealed record ProConnectSignIn(ProConnectIdentity Identity, bool FoundBySubject, DateTimeOffset Now, bool Delayed);

public enum ProConnectOutcome { Succeeded, NoAccount, EmailNotVerified, Refused }

public static class ProConnectSignInDecision
{
    /// <summary>
    /// ProConnect vouches for the person; an account here must already exist for them (active, or invited and not yet
    /// expired): it is never created. The first time, the verified address finds the account and the <c>sub</c> is tied
    /// to it; from then on the <c>sub</c> finds it, whatever the address became. An invitation is accepted by this sign-in.
    /// </summary>
    public static (ProConnectOutcome Outcome, IReadOnlyList<object> Events) Decide(ProConnectSignIn command, Account? account)
    {
        var (identity, bySubject, now) = (command.Identity, command.FoundBySubject, command.Now);
        if (command.Delayed)
            return (ProConnectOutcome.Refused, []);
        if (account is null)
            return (identity.EmailVerified ? ProConnectOutcome.NoAccount : ProConnectOutcome.EmailNotVerified, []);
        // Disabled: the same refusal as a password; already tied to another ProConnect identity: a reused address must not
        // open someone else's account.
        if (account.Disabled || (!bySubject && account.ProConnectSubject is not null))
            return (ProConnectOutcome.Refused, []);
        var events = new List<object>();
        if (!account.Activated)
        {
            if (account.Invitation is not { } invitation || invitation.ExpiresAt <= now)
                return (ProConnectOutcome.Refused, []);
            events.Add(new AccountActivated(account.Id, account.Role, account.OrganisationId, account.OrganisationManager, PasswordHash: null, now,
                Through: ExternalProviders.ProConnect));
        }
        if (!bySubject)
            events.Add(new ExternalIdentityLinked(account.Id, ExternalProviders.ProConnect, identity.Subject, now));
        events.Add(new SignInSucceeded(account.Id, now, ExternalProviders.ProConnect, identity.Acr));
        return (ProConnectOutcome.Succeeded, events);
    }
}

/// <summary>The ProConnect <c>sub</c> tied to an account (one document per linked account, unique): how a sign-in finds it first.</summary>
public sealed record ProConnectLink(Guid Id, string Subject);

public sealed partial class ProConnectLinkProjection : SingleStreamProjection<ProConnectLink, Guid>
{
    public override ProConnectLink? Evolve(ProConnectLink? snapshot, Guid id, IEvent e) => e.Data switch
    {
        ExternalIdentityLinked { Provider: ExternalProviders.ProConnect } linked => new ProConnectLink(id, linked.Subject),
        _ => snapshot,
    };
}
