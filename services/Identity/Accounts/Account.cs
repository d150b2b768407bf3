using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Coordination.Identity.Accounts.SecondFactor;
using Marten.Events.Aggregation;

namespace Coordination.Identity.Accounts;

/// <summary>Before invitations existed: an account created straight from the demo file. Still read from older stores.</summary>
public sealed record AccountRegistered(
    Guid AccountId, string Username, string UserId, string Name, string Role, Guid? OrganisationId, string PasswordHash, DateTimeOffset At,
    bool OrganisationManager = false, bool ArchiveAccess = false);

/// <summary>
/// Someone was given an account: it cannot sign in until the invitee follows the one-time link (only its SHA-256 hash is
/// stored) and chooses a password.
/// </summary>
public sealed record AccountInvited(
    Guid AccountId, string UserId, string Username, string Name, string Email, string Role, Guid? OrganisationId,
    bool OrganisationManager, bool ArchiveAccess, string InvitationHash, DateTimeOffset ExpiresAt, string InvitedBy, DateTimeOffset At);

/// <summary>A new link for an invitation not yet accepted (the previous one stops working).</summary>
public sealed record AccountInvitationRenewed(Guid AccountId, string InvitationHash, DateTimeOffset ExpiresAt, string RenewedBy, DateTimeOffset At);

/// <summary>
/// The invitation was accepted: the account can sign in. Role and organisation are repeated for the published contract.
/// <paramref name="Through"/>: null for the e-mailed link (a password was chosen), <c>proconnect</c> when the invitee
/// signed in with ProConnect instead (no password: <paramref name="PasswordHash"/> is null until one is set by a reset).
/// </summary>
public sealed record AccountActivated(
    Guid AccountId, string Role, Guid? OrganisationId, bool OrganisationManager, string? PasswordHash, DateTimeOffset At, string? Through = null);

public sealed record AccountRoleChanged(Guid AccountId, string Role, bool OrganisationManager, string ChangedBy, DateTimeOffset At);

public sealed record AccountOrganisationChanged(Guid AccountId, Guid? OrganisationId, string ChangedBy, DateTimeOffset At);

public sealed record AccountDisabled(Guid AccountId, string DisabledBy, DateTimeOffset At);

public sealed record AccountReenabled(Guid AccountId, string ReenabledBy, DateTimeOffset At);

public sealed record PasswordChanged(Guid AccountId, string PasswordHash, DateTimeOffset At);

public sealed record PasswordResetRequested(Guid AccountId, string ResetHash, DateTimeOffset ExpiresAt, DateTimeOffset At);

public sealed record PasswordResetCompleted(Guid AccountId, string PasswordHash, DateTimeOffset At);

/// <summary>
/// A sign-in: by password (<paramref name="Through"/> null) or through another provider (<c>proconnect</c>), with the
/// assurance level that provider asserted (<paramref name="Acr"/>, e.g. <c>eidas1</c>) as it said it.
/// </summary>
public sealed record SignInSucceeded(Guid AccountId, DateTimeOffset At, string? Through = null, string? Acr = null);

/// <summary>
/// An identity at another provider (<paramref name="Provider"/>, e.g. <c>proconnect</c>; <paramref name="Subject"/>, its
/// <c>sub</c>) was tied to this account: the next sign-ins there find the account by it, before any e-mail address.
/// </summary>
public sealed record ExternalIdentityLinked(Guid AccountId, string Provider, string Subject, DateTimeOffset At);

/// <summary>Before progressive delays (<see cref="SignInThrottling"/>): a wrong password. Still read from older stores.</summary>
public sealed record SignInFailed(Guid AccountId, DateTimeOffset At);

/// <summary>Before progressive delays: the hard lockout anyone could cause. Still read from older stores, and ignored.</summary>
public sealed record AccountLockedOut(Guid AccountId, DateTimeOffset Until, DateTimeOffset At);

/// <summary>The other providers an account may sign in through (event values: never rename).</summary>
public static class ExternalProviders
{
    public const string ProConnect = "proconnect";
}

/// <summary>A pending one-time link: its hash and when it stops working.</summary>
public sealed record OneTimeLink(string Hash, DateTimeOffset ExpiresAt);

/// <summary>
/// An account as its decisions need it. <see cref="SecurityStampAt"/> moves whenever what a token says, or who may hold
/// one, changes (role, organisation, password, disabling, a second factor reset): tokens issued before it are refused on
/// refresh. <see cref="Mfa"/>: the account's second factor, if it has one.
/// </summary>
public sealed record Account(
    Guid Id, string Username, string UserId, string Name, string Role, Guid? OrganisationId, string? PasswordHash,
    bool OrganisationManager = false, bool ArchiveAccess = false,
    string? Email = null, bool Activated = true, bool Disabled = false, OneTimeLink? Invitation = null,
    OneTimeLink? PasswordReset = null, DateTimeOffset SecurityStampAt = default, SecondFactorState? Mfa = null,
    string? ProConnectSubject = null)
{
    /// <summary>An account activated through ProConnect has no password: it signs in there (or sets one by a reset).</summary>
    public bool CanSignIn => Activated && !Disabled;

    public string SecurityStamp => SecurityStampAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class AccountEvolution
{
    public static Account? Evolve(Account? state, object @event) => (state, @event) switch
    {
        (null, AccountRegistered r) => new Account(r.AccountId, r.Username, r.UserId, r.Name, r.Role, r.OrganisationId, r.PasswordHash,
            r.OrganisationManager, r.ArchiveAccess, SecurityStampAt: r.At),
        (null, AccountInvited i) => new Account(i.AccountId, i.Username, i.UserId, i.Name, i.Role, i.OrganisationId, null,
            i.OrganisationManager, i.ArchiveAccess, i.Email, Activated: false, Invitation: new OneTimeLink(i.InvitationHash, i.ExpiresAt),
            SecurityStampAt: i.At),
        (null, _) => null,
        (_, AccountInvitationRenewed r) => state with { Invitation = new OneTimeLink(r.InvitationHash, r.ExpiresAt) },
        (_, AccountActivated a) => state with { Activated = true, PasswordHash = a.PasswordHash, Invitation = null, SecurityStampAt = a.At },
        (_, AccountRoleChanged r) => state with { Role = r.Role, OrganisationManager = r.OrganisationManager, SecurityStampAt = r.At },
        (_, AccountOrganisationChanged o) => state with { OrganisationId = o.OrganisationId, SecurityStampAt = o.At },
        (_, AccountDisabled d) => state with { Disabled = true, PasswordReset = null, SecurityStampAt = d.At },
        (_, AccountReenabled) => state with { Disabled = false },
        (_, PasswordChanged p) => state with { PasswordHash = p.PasswordHash, PasswordReset = null, SecurityStampAt = p.At },
        (_, PasswordResetRequested r) => state with { PasswordReset = new OneTimeLink(r.ResetHash, r.ExpiresAt) },
        (_, PasswordResetCompleted p) => state with { PasswordHash = p.PasswordHash, PasswordReset = null, SecurityStampAt = p.At },
        (_, ExternalIdentityLinked l) when l.Provider == ExternalProviders.ProConnect => state with { ProConnectSubject = l.Subject },
        (_, MfaEnrolled m) => state with { Mfa = new SecondFactorState(m.ProtectedSecret, m.RecoveryCodeHashes, -1, m.At) },
        (_, MfaReset r) => state with { Mfa = null, SecurityStampAt = r.At },
        (_, MfaCodeAccepted c) when state.Mfa is not null => state with { Mfa = state.Mfa with { LastTimeStep = c.TimeStep } },
        (_, MfaRecoveryCodeUsed u) when state.Mfa is not null => state with
        {
            Mfa = state.Mfa with { RecoveryCodeHashes = [.. state.Mfa.RecoveryCodeHashes.Where(h => h != u.CodeHash)] },
        },
        _ => state,
    };

    /// <summary>One stream per account, found from the username alone (case-insensitive) without an index.</summary>
    public static Guid StreamFor(string username) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes("account:" + username.Trim().ToLowerInvariant())));
}

public sealed partial class AccountProjection : SingleStreamProjection<Account, Guid>
{
    public override Account? Evolve(Account? snapshot, Guid id, IEvent e) => AccountEvolution.Evolve(snapshot, e.Data);
}

public enum SignInOutcome { Succeeded, Refused }

public sealed record SignIn(string Password, DateTimeOffset Now, bool Delayed);

public static class SignInDecision
{
    /// <summary>
    /// Check a password. Whether the account cannot sign in, or a delay after failures is still running, or the password is
    /// wrong, the work is the same (one password hash) and the refusal the same: none of them can be told from another.
    /// </summary>
    public static (SignInOutcome Outcome, IReadOnlyList<object> Events) Decide(SignIn command, Account? account)
    {
        var checkable = account is { CanSignIn: true, PasswordHash: not null } && !command.Delayed;
        var matches = PasswordHashing.Verify(command.Password, checkable ? account!.PasswordHash! : PasswordHashing.DecoyHash);
        return checkable && matches
            ? (SignInOutcome.Succeeded, [new SignInSucceeded(account!.Id, command.Now)])
            : (SignInOutcome.Refused, []);
    }
}
