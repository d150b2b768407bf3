using System.Security.Cryptography;
using System.Text;

namespace Coordination.Referrals.ListingReferrals;

/// <summary>
/// Finds a referral by the pseudonymous reference professionals say on the phone, although the reference itself is
/// stored sealed (random nonce, so not searchable): a keyed digest of it is kept beside, and dropped from the read
/// model when the person is erased. The key comes from configuration, not from the database.
/// </summary>
public static class ReferenceSearch
{
    public static string Digest(string reference, string key)
    {
        var normalised = reference.Trim().ToUpperInvariant();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes("referral-reference:" + normalised));
        return Convert.ToHexStringLower(mac.AsSpan(0, 16));
    }
}
