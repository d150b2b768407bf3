using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Coordination.Identity.Accounts.SecondFactor;

/// <summary>
/// TOTP secrets at rest: protected with Identity's Data Protection key ring (as the queued e-mails are), bound to the
/// account (a protected secret copied onto another account does not open). A copy of the database alone gives no secret.
/// During enrolment the new secret travels in the form, protected and valid 15 minutes, bound to the account too.
/// </summary>
public sealed class SecretProtection(IDataProtectionProvider provider)
{
    public static readonly TimeSpan EnrolmentLifetime = TimeSpan.FromMinutes(15);

    public string Protect(Guid accountId, byte[] secret) =>
        provider.CreateProtector("Coordination.Identity.Mfa.Secret.v1", accountId.ToString()).Protect(TotpCodes.Base32(secret));

    /// <summary>Null when it cannot be read (another key ring): the person then signs in with a recovery code.</summary>
    public byte[]? Unprotect(Guid accountId, string protectedSecret)
    {
        try
        {
            return OtpNet.Base32Encoding.ToBytes(provider.CreateProtector("Coordination.Identity.Mfa.Secret.v1", accountId.ToString()).Unprotect(protectedSecret));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public string ProtectPending(Guid accountId, byte[] secret) => Pending(accountId).Protect(TotpCodes.Base32(secret), EnrolmentLifetime);

    /// <summary>The secret being enrolled, or null when the form is too old or not this account's.</summary>
    public byte[]? UnprotectPending(Guid accountId, string? token)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        try
        {
            return OtpNet.Base32Encoding.ToBytes(Pending(accountId).Unprotect(token));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private ITimeLimitedDataProtector Pending(Guid accountId) =>
        provider.CreateProtector("Coordination.Identity.Mfa.Enrolment.v1", accountId.ToString()).ToTimeLimitedDataProtector();
}
