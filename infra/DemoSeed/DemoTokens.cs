namespace Coordination.DemoSeed;

/// <summary>
/// The access tokens of the demo accounts, requested once per run and shared by the seeders. A refusal is kept too,
/// so that an account the identity provider refuses is reported once per item rather than asked for again and again.
/// </summary>
public sealed class DemoTokens(GatewayClient gateway, IReadOnlyList<AccountSeed> accounts)
{
    private readonly Dictionary<string, AccountSeed> accountsByName = accounts.ToDictionary(a => a.Username, StringComparer.Ordinal);
    private readonly Dictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> refusals = new(StringComparer.Ordinal);

    /// <summary>The token of a demo account, or the seeder's own step failure (<paramref name="fail"/>) naming the step.</summary>
    public async Task<string> ForStepAsync(string username, string label, Func<string, Exception> fail, CancellationToken ct)
    {
        try
        {
            return await ForAsync(username, ct);
        }
        catch (TokenRefusedException e)
        {
            throw fail($"{label}: {e.Message}");
        }
    }

    /// <summary>The token of a demo account (checked to exist when the data was loaded).</summary>
    /// <exception cref="TokenRefusedException">The token endpoint refused the account (now or earlier in the run).</exception>
    public async Task<string> ForAsync(string username, CancellationToken ct)
    {
        if (tokens.TryGetValue(username, out var token)) return token;
        if (refusals.TryGetValue(username, out var refusal)) throw new TokenRefusedException(refusal);
        if (!accountsByName.TryGetValue(username, out var account))
            throw new TokenRefusedException($"no account '{username}' in {SeedData.AccountsFile}.");
        try
        {
            return tokens[username] = await gateway.RequestTokenAsync(account.Username, account.Password, ct);
        }
        catch (TokenRefusedException e)
        {
            refusals[username] = e.Message;
            throw;
        }
    }
}
