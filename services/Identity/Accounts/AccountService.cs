using System.Net;
using System.Text.Json;
using JasperFx;
using Coordination.Identity.Accounts.Activating;
using Coordination.Identity.Accounts.Inviting;
using Coordination.Identity.Accounts.SigningInWithProConnect;
using Microsoft.Extensions.Options;

namespace Coordination.Identity.Accounts;

/// <summary>An account to create when the demo seed (or a test) provides it. Passwords are hashed on import.</summary>
public sealed record AccountToImport
{
    public required string Username { get; init; }
    public required string Password { get; init; }
    public required string UserId { get; init; }
    public required string Name { get; init; }
    public required string Role { get; init; }
    public Guid? OrganisationId { get; init; }
    public bool OrganisationManager { get; init; }

    /// <summary>May read the archived cases of their organisation, with a reason (docs/privacy.md).</summary>
    public bool ArchiveAccess { get; init; }

    /// <summary>Where its e-mails go; by default <c>username@demo.coordination.test</c>, a reserved domain.</summary>
    public string? Email { get; init; }
}

public sealed class AccountService(IDocumentStore store, TimeProvider time, IOptions<SignInDelayOptions> delays)
{
    /// <summary>
    /// Same answer, and the same work, whether the account is unknown, cannot sign in, is within a delay after failures,
    /// or the password is wrong: one password hash, the failures of the username and of the address counted.
    /// </summary>
    public async Task<(SignInOutcome Outcome, Account? Account)> SignInAsync(string username, string password, IPAddress? from, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var now = time.GetUtcNow();
            var keys = Keys(SignInThrottling.AccountKey(username), from);
            var failures = await LoadFailuresAsync(session, keys, ct);
            var delayed = SignInThrottling.DelayedUntil(failures.GetValueOrDefault(keys[0]), keys.Length > 1 ? failures.GetValueOrDefault(keys[1]) : null,
                delays.Value, now) is not null;
            var stream = await session.Events.FetchForWriting<Account>(AccountEvolution.StreamFor(username), ct);
            // Invited accounts sign in with their address, which is their username; demo accounts may use either.
            if (stream.Aggregate is null && username.Contains('@') && await FindIdByEmailAsync(session, username.Trim().ToLowerInvariant(), ct) is { } id)
                stream = await session.Events.FetchForWriting<Account>(id, ct);
            var (outcome, events) = SignInDecision.Decide(new SignIn(password, now, delayed), stream.Aggregate);
            if (outcome == SignInOutcome.Succeeded)
            {
                stream.AppendMany(events);
                session.Delete<SignInFailures>(keys[0]);
            }
            else
                RecordFailures(session, keys, failures, now);
            try
            {
                await session.SaveChangesAsync(ct);
                return (outcome, outcome == SignInOutcome.Succeeded ? stream.Aggregate : null);
            }
            catch (ConcurrencyException) when (attempt < 3)
            {
                // Two sign-ins of one account at the same moment: decide again on the newer state.
            }
        }
    }

    /// <summary>
    /// A sign-in that ProConnect vouched for: the account tied to its <c>sub</c>, else the one invited or active under its
    /// verified address (<see cref="ProConnectSignInDecision"/>). Refusals count against the client address like wrong
    /// passwords (there is no username here), and a delay running refuses the same way. Returns the account as it is
    /// after the sign-in (an invitation just accepted has a new security stamp).
    /// </summary>
    public async Task<(ProConnectOutcome Outcome, Account? Account)> SignInWithProConnectAsync(ProConnectIdentity identity, IPAddress? from,
        CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var now = time.GetUtcNow();
            string[] keys = from is null ? [] : [SignInThrottling.AddressKey(from)];
            var failures = await LoadFailuresAsync(session, keys, ct);
            var delayed = keys.Length > 0
                && SignInThrottling.DelayedUntil(null, failures.GetValueOrDefault(keys[0]), delays.Value, now) is not null;
            var linked = await session.Query<ProConnectLink>().Where(l => l.Subject == identity.Subject).Select(l => l.Id).ToListAsync(ct);
            var id = linked is [var byLink, ..] ? byLink
                : identity.UsableEmail is { } email ? await FindIdByEmailAsync(session, email, ct) : null;
            var stream = id is { } found ? await session.Events.FetchForWriting<Account>(found, ct) : null;
            var (outcome, events) = ProConnectSignInDecision.Decide(new ProConnectSignIn(identity, linked.Count > 0, now, delayed), stream?.Aggregate);
            if (outcome == ProConnectOutcome.Succeeded)
                stream!.AppendMany(events);
            else
                RecordFailures(session, keys, failures, now);
            try
            {
                await session.SaveChangesAsync(ct);
                return outcome == ProConnectOutcome.Succeeded ? (outcome, events.Aggregate(stream!.Aggregate, AccountEvolution.Evolve)) : (outcome, null);
            }
            catch (ConcurrencyException) when (attempt < 3)
            {
                // The same person signing in twice at once (or an administrator acting): decide again on the newer state.
            }
        }
    }

    /// <summary>
    /// The second step's own delays (per account): a six-digit code must not be guessable by trying them all. Returns
    /// whether a code may be checked now; <paramref name="check"/> answers whether it was right.
    /// </summary>
    public async Task<bool> SecondStepAsync(Guid accountId, Func<Task<bool>> check, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var now = time.GetUtcNow();
        string[] keys = [SignInThrottling.SecondStepKey(accountId)];
        var failures = await LoadFailuresAsync(session, keys, ct);
        var delayed = SignInThrottling.DelayedUntil(failures.GetValueOrDefault(keys[0]), null, delays.Value, now) is not null;
        var accepted = !delayed && await check();
        if (accepted)
            session.Delete<SignInFailures>(keys[0]);
        else
            RecordFailures(session, keys, failures, now);
        await session.SaveChangesAsync(ct);
        return accepted;
    }

    private static string[] Keys(string accountKey, IPAddress? from) =>
        from is null ? [accountKey] : [accountKey, SignInThrottling.AddressKey(from)];

    private static async Task<Dictionary<string, SignInFailures>> LoadFailuresAsync(IQuerySession session, string[] keys, CancellationToken ct) =>
        (await session.LoadManyAsync<SignInFailures>(ct, keys)).ToDictionary(f => f.Id);

    private void RecordFailures(IDocumentSession session, string[] keys, Dictionary<string, SignInFailures> failures, DateTimeOffset now)
    {
        foreach (var key in keys)
            session.Store(SignInThrottling.Failed(key, failures.GetValueOrDefault(key), delays.Value, now));
    }

    public async Task<Account?> FindAsync(string username, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        return await session.Events.FetchLatest<Account>(AccountEvolution.StreamFor(username), ct);
    }

    public async Task<Guid?> FindIdByEmailAsync(IQuerySession session, string email, CancellationToken ct) =>
        (await session.Query<AccountDetails>().Where(a => a.Email == email).Select(a => a.Id).ToListAsync(ct)) is [var id, ..] ? id : null;

    /// <summary>The account behind a token's <c>sub</c>.</summary>
    public async Task<Guid?> FindIdByUserIdAsync(IQuerySession session, string userId, CancellationToken ct) =>
        (await session.Query<AccountDetails>().Where(a => a.UserId == userId).Select(a => a.Id).ToListAsync(ct)) is [var id, ..] ? id : null;
}

/// <summary>
/// Creates the accounts given by configuration (<c>Identity:Accounts</c>) or a file (<c>Identity:AccountsFile</c>,
/// the demo accounts that <c>./coordination up</c> passes) if they do not exist yet, through the same decisions as a
/// real invitation followed by its acceptance (the seed acts as an administrator, and its organisations are taken as
/// known: the Directory is seeded after Identity starts). No e-mail is sent. Nothing is created otherwise.
/// </summary>
public sealed class AccountImport(IDocumentStore store, IConfiguration configuration, TimeProvider time, ILogger<AccountImport> logger) : IHostedService
{
    private static readonly CurrentUser Seed = new("seed", Roles.Admin, null);

    public async Task StartAsync(CancellationToken ct)
    {
        var identity = configuration.GetSection("Identity");
        var accounts = identity.GetSection("Accounts").Get<List<AccountToImport>>() ?? [];
        if (identity["AccountsFile"] is { Length: > 0 } file)
            accounts.AddRange(JsonSerializer.Deserialize<List<AccountToImport>>(await File.ReadAllTextAsync(file, ct),
                new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? []);
        var created = 0;
        foreach (var account in accounts.DistinctBy(a => a.Username.ToLowerInvariant()))
        {
            await using var session = store.LightweightSession();
            var id = AccountEvolution.StreamFor(account.Username);
            if (await session.Events.FetchStreamStateAsync(id, ct) is not null) continue;
            var at = time.GetUtcNow();
            var (token, hash) = OneTimeLinks.New(id);
            OneTimeLinks.TryRead(token, out _, out var secret);
            var email = account.Email ?? $"{account.Username.ToLowerInvariant()}@{DemoDomain}";
            var invited = InviteAccountEndpoint.Decide(new InviteAccount(id, account.UserId, account.Username.ToLowerInvariant(), email, account.Name,
                account.Role, account.OrganisationId, account.OrganisationManager, account.ArchiveAccess, hash, at.AddMinutes(1), Seed, at,
                OrganisationKnown: true, OrganisationHasManager: false), null);
            var state = invited.Aggregate((Account?)null, AccountEvolution.Evolve)!;
            var activated = ActivateAccountPage.Decide(new ActivateAccount(secret, PasswordHashing.Hash(account.Password), at), state);
            session.Events.StartStream<Account>(id, [.. invited, .. activated]);
            await session.SaveChangesAsync(ct);
            created++;
        }
        if (created > 0)
            logger.LogInformation("Created {Count} accounts from configuration", created);
    }

    /// <summary>Reserved for tests and demos (RFC 2606 <c>.test</c>): no message can reach a real person there.</summary>
    public const string DemoDomain = "demo.coordination.test";

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
