using System.Security.Cryptography;
using System.Text;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Identity.Accounts;

public sealed record AccountRegistered(
    Guid AccountId, string Username, string UserId, string Name, string Role, Guid? OrganisationId, string PasswordHash, DateTimeOffset At,
    bool OrganisationManager = false, bool ArchiveAccess = false);

public sealed record SignInSucceeded(Guid AccountId, DateTimeOffset At);

public sealed record SignInFailed(Guid AccountId, DateTimeOffset At);

/// <summary>Too many wrong passwords in a row: no sign-in until <paramref name="Until"/>.</summary>
public sealed record AccountLockedOut(Guid AccountId, DateTimeOffset Until, DateTimeOffset At);

public sealed record Account(
    Guid Id, string Username, string UserId, string Name, string Role, Guid? OrganisationId, string PasswordHash,
    int FailedAttempts, DateTimeOffset? LockedUntil, bool OrganisationManager = false, bool ArchiveAccess = false);

public static class AccountEvolution
{
    public static Account? Evolve(Account? state, object @event) => (state, @event) switch
    {
        (null, AccountRegistered r) => new Account(r.AccountId, r.Username, r.UserId, r.Name, r.Role, r.OrganisationId, r.PasswordHash, 0, null,
            r.OrganisationManager, r.ArchiveAccess),
        (null, _) => null,
        (_, SignInSucceeded) => state with { FailedAttempts = 0, LockedUntil = null },
        (_, SignInFailed) => state with { FailedAttempts = state.FailedAttempts + 1 },
        (_, AccountLockedOut l) => state with { FailedAttempts = 0, LockedUntil = l.Until },
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

public enum SignInOutcome { Succeeded, WrongCredentials, LockedOut }

public sealed record SignIn(string Password, DateTimeOffset Now);

public sealed class LockoutOptions
{
    public int MaxFailedAttempts { get; set; } = 5;
    public TimeSpan LockFor { get; set; } = TimeSpan.FromMinutes(15);
}

public static class SignInDecision
{
    /// <summary>Check a password; every attempt is recorded, and too many failures lock the account for a while.</summary>
    public static (SignInOutcome Outcome, IReadOnlyList<object> Events) Decide(SignIn command, Account account, LockoutOptions lockout)
    {
        if (account.LockedUntil is { } until && until > command.Now)
            return (SignInOutcome.LockedOut, []);
        if (PasswordHashing.Verify(command.Password, account.PasswordHash))
            return (SignInOutcome.Succeeded, [new SignInSucceeded(account.Id, command.Now)]);
        return account.FailedAttempts + 1 >= lockout.MaxFailedAttempts
            ? (SignInOutcome.WrongCredentials, [new SignInFailed(account.Id, command.Now), new AccountLockedOut(account.Id, command.Now + lockout.LockFor, command.Now)])
            : (SignInOutcome.WrongCredentials, [new SignInFailed(account.Id, command.Now)]);
    }
}
