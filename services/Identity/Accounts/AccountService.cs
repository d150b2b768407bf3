using System.Text.Json;
using JasperFx;
using Marten;
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
}

public sealed class AccountService(IDocumentStore store, TimeProvider time, IOptions<LockoutOptions> lockout)
{
    /// <summary>Same answer, and comparable work, whether the account is unknown or the password wrong.</summary>
    public async Task<(SignInOutcome Outcome, Account? Account)> SignInAsync(string username, string password, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<Account>(AccountEvolution.StreamFor(username), ct);
            if (stream.Aggregate is null)
            {
                PasswordHashing.Verify(password, PasswordHashing.DecoyHash);
                return (SignInOutcome.WrongCredentials, null);
            }
            var (outcome, events) = SignInDecision.Decide(new SignIn(password, time.GetUtcNow()), stream.Aggregate, lockout.Value);
            stream.AppendMany(events);
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

    public async Task<Account?> FindAsync(string username, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        return await session.Events.FetchLatest<Account>(AccountEvolution.StreamFor(username), ct);
    }
}

/// <summary>
/// Creates the accounts given by configuration (<c>Identity:Accounts</c>) or a file (<c>Identity:AccountsFile</c>,
/// the demo accounts that <c>./coordination up</c> passes) if they do not exist yet. Nothing is created otherwise.
/// </summary>
public sealed class AccountImport(IDocumentStore store, IConfiguration configuration, TimeProvider time, ILogger<AccountImport> logger) : IHostedService
{
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
            session.Events.StartStream<Account>(id, new AccountRegistered(id, account.Username, account.UserId, account.Name,
                account.Role, account.OrganisationId, PasswordHashing.Hash(account.Password), time.GetUtcNow(), account.OrganisationManager,
                account.ArchiveAccess));
            await session.SaveChangesAsync(ct);
            created++;
        }
        if (created > 0)
            logger.LogInformation("Created {Count} accounts from configuration", created);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
