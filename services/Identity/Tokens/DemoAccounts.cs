using System.Security.Cryptography;
using System.Text;

namespace Coordination.Identity.Tokens;

/// <summary>An account of the development issuer. Loaded from configuration (the demo seed's accounts file).</summary>
public sealed record Account
{
    public required string Username { get; init; }
    public required string Password { get; init; }
    public required string UserId { get; init; }
    public required string Name { get; init; }
    public required string Role { get; init; }
    public Guid? OrganisationId { get; init; }
}

public sealed class Accounts(IEnumerable<Account> accounts)
{
    private readonly Dictionary<string, Account> byUsername =
        accounts.ToDictionary(a => a.Username, StringComparer.OrdinalIgnoreCase);

    /// <summary>Same answer and comparable work whether the user is unknown or the password wrong: no account enumeration.</summary>
    public Account? Authenticate(string username, string password)
    {
        byUsername.TryGetValue(username, out var account);
        var expected = Encoding.UTF8.GetBytes(account?.Password ?? "\u0000no-such-account");
        var given = Encoding.UTF8.GetBytes(password);
        var matches = CryptographicOperations.FixedTimeEquals(SHA256.HashData(expected), SHA256.HashData(given));
        return account is not null && matches ? account : null;
    }

    public int Count => byUsername.Count;
}
