using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Coordination.Identity.Accounts.SecondFactor;

/// <summary>
/// An authenticator app (TOTP, RFC 6238) now guards the account. The shared secret is kept only protected
/// (<see cref="SecretProtection"/>); of the recovery codes, only their SHA-256 hashes.
/// </summary>
public sealed record MfaEnrolled(Guid AccountId, string ProtectedSecret, IReadOnlyList<string> RecoveryCodeHashes, DateTimeOffset At);

/// <summary>
/// The second factor was removed, by its owner (<paramref name="ResetBy"/> is their user id) or by an administrator (audit):
/// the account's sessions end, and an account that must have one enrols again at its next sign-in.
/// </summary>
public sealed record MfaReset(Guid AccountId, string ResetBy, DateTimeOffset At);

/// <summary>A code from the app was accepted: that time step can never be used again (no replay of an overheard code).</summary>
public sealed record MfaCodeAccepted(Guid AccountId, long TimeStep, DateTimeOffset At);

/// <summary>A recovery code was used instead of the app: it is spent.</summary>
public sealed record MfaRecoveryCodeUsed(Guid AccountId, string CodeHash, DateTimeOffset At);

/// <summary>An account's second factor as sign-in needs it.</summary>
public sealed record SecondFactorState(string ProtectedSecret, IReadOnlyList<string> RecoveryCodeHashes, long LastTimeStep, DateTimeOffset EnrolledAt);

/// <summary>Section <c>Identity:Mfa</c>.</summary>
public sealed class MfaOptions
{
    public static readonly string[] DefaultRequiredRoles = ["admin", "national_coordinator"];

    /// <summary>
    /// Roles that cannot finish a sign-in without a second factor (they enrol on the spot); others may choose. Unset:
    /// <see cref="DefaultRequiredRoles"/> (set to replace the list, not to add to it).
    /// </summary>
    public string[]? RequiredRoles { get; set; }

    /// <summary>
    /// Whether the password grant (scripts, tests, the demo's seeding; off in production) may sign in an account that has,
    /// or must have, a second factor. It cannot ask for a code; by default only in Development and Testing.
    /// </summary>
    public bool PasswordGrantSkipsMfa { get; set; }
}

public static class MfaPolicy
{
    public static bool IsRequired(this Account account, MfaOptions options) => (options.RequiredRoles ?? MfaOptions.DefaultRequiredRoles).Contains(account.Role, StringComparer.Ordinal);

    /// <summary>A full sign-in needs the second step: the account has a second factor, or its role demands one.</summary>
    public static bool NeedsSecondStep(this Account account, MfaOptions options) => account.Mfa is not null || account.IsRequired(options);

    public static bool PasswordGrantAllowed(Account account, MfaOptions options) => options.PasswordGrantSkipsMfa || !account.NeedsSecondStep(options);
}

/// <summary>RFC 6238 with the parameters every authenticator app reads: SHA-1, 6 digits, 30 s; one step of drift either way.</summary>
public static class TotpCodes
{
    public const int SecretBytes = 20;
    private static readonly VerificationWindow Drift = new(previous: 1, future: 1);

    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(SecretBytes);

    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret);

    /// <summary>The secret as typed from the enrolment page's text (groups of four, spaces ignored).</summary>
    public static byte[] FromBase32(string text) => Base32Encoding.ToBytes(text.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>The address authenticator apps read from the QR code (Key Uri Format); the label is the username, not a name.</summary>
    public static string KeyUri(byte[] secret, string username) =>
        $"otpauth://totp/Coordination:{Uri.EscapeDataString(username)}?secret={Base32(secret)}&issuer=Coordination&algorithm=SHA1&digits=6&period=30";

    public static string Compute(byte[] secret, DateTimeOffset at) => new Totp(secret).ComputeTotp(at.UtcDateTime);

    /// <summary>The time step of a valid code, or null; a step at or before <paramref name="lastUsedStep"/> is refused (replay).</summary>
    public static long? Verify(byte[] secret, string code, DateTimeOffset now, long lastUsedStep)
    {
        var digits = new string(code.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length != 6 || code.Any(c => !char.IsAsciiDigit(c) && !char.IsWhiteSpace(c)))
            return null;
        return new Totp(secret).VerifyTotp(now.UtcDateTime, digits, out var step, Drift) && step > lastUsedStep ? step : null;
    }
}

/// <summary>Ten single-use codes of 10 characters (50 bits each) from an alphabet without look-alikes, shown once.</summary>
public static class RecoveryCodes
{
    public const int Count = 10;
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static IReadOnlyList<string> New() =>
        [.. Enumerable.Range(0, Count).Select(_ => RandomNumberGenerator.GetString(Alphabet, 5) + "-" + RandomNumberGenerator.GetString(Alphabet, 5))];

    /// <summary>Hyphens, spaces and case do not matter when typed.</summary>
    public static string Normalise(string code) => new(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    /// <summary>A plain hash is enough: the codes are random, not chosen by people, so no dictionary finds them.</summary>
    public static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(code))));

    public static bool LooksLikeOne(string code) => Normalise(code).Length == 10;
}
