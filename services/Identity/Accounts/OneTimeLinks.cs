using System.Security.Cryptography;
using System.Text;

namespace Coordination.Identity.Accounts;

/// <summary>
/// The secret of an invitation or reset link: 256 random bits, given once in the e-mail and kept only as its SHA-256
/// hash (a stolen database gives no usable link). The link names the account (<c>{accountId:N}.{secret}</c>) so that it
/// is checked against one stream, in constant time.
/// </summary>
public static class OneTimeLinks
{
    public static (string Token, string Hash) New(Guid accountId)
    {
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        return ($"{accountId:N}.{secret}", HashOf(secret));
    }

    public static bool TryRead(string? token, out Guid accountId, out string secret)
    {
        accountId = Guid.Empty;
        secret = "";
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 2 || parts[1].Length is < 20 or > 100 || !Guid.TryParseExact(parts[0], "N", out accountId))
            return false;
        secret = parts[1];
        return true;
    }

    public static bool Matches(OneTimeLink? link, string secret, DateTimeOffset now) =>
        link is not null && link.ExpiresAt > now
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(secret)), Encoding.ASCII.GetBytes(link.Hash));

    private static string HashOf(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
