using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Coordination.Referrals.GettingDetails;

namespace Coordination.Referrals.Privacy;

/// <summary>
/// The key of one person (data subject): AES-256. It lives only in this document table, in its own schema
/// (<see cref="PersonalData.KeySchema"/>), never in an event, a read model, a contract or a log. Deleting it makes
/// every copy of the person's identity and free texts unreadable — events, read models, exports and backups alike.
/// Stored wrapped under a key-encryption key that is not in the database (<see cref="WrappedPersonalDataKeyConverter"/>):
/// a dump of the database alone decrypts nothing. <paramref name="WrappedWith"/>: the KEK it was read under (null when
/// new, or stored before wrapping existed).
/// </summary>
public sealed record PersonalDataKey(Guid Id, byte[] Key, DateTimeOffset CreatedAt, string? WrappedWith = null);

/// <summary>
/// Crypto-shredding of a person's data. Personal fields (first name, contact, pseudonymous reference, free-text
/// notes, reasons and messages) are stored as <c>pd1.&lt;subject&gt;.&lt;base64url(nonce | ciphertext | tag)&gt;</c>,
/// sealed with AES-256-GCM under the person's key, a random 96-bit nonce per value and the subject id as
/// associated data (a value cannot be moved to another person). The envelope names the subject, so a reader
/// needs nothing else to find the key; once the key is deleted the value reads <see cref="Erased"/>.
/// </summary>
public static class PersonalData
{
    public const string Erased = "[effacé]";
    public const string KeySchema = "referrals_keys";
    private const string Prefix = "pd1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static PersonalDataKey NewKey(Guid subject, DateTimeOffset at) => new(subject, RandomNumberGenerator.GetBytes(32), at);

    public static bool IsSealed(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    public static string Seal(PersonalDataKey key, string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length), key.Id.ToByteArray());
        return $"{Prefix}{key.Id:N}.{Base64Url.EncodeToString(sealedBytes)}";
    }

    /// <summary>The person a sealed value belongs to, or null for a value that is not sealed.</summary>
    public static Guid? SubjectOf(string? value)
    {
        if (!IsSealed(value)) return null;
        var end = value!.IndexOf('.', Prefix.Length);
        return end > 0 && Guid.TryParseExact(value.AsSpan(Prefix.Length, end - Prefix.Length), "N", out var subject) ? subject : null;
    }

    /// <summary>The plaintext, or <see cref="Erased"/> when the key is gone (or the value was tampered with).
    /// Values written before encryption existed pass through unchanged.</summary>
    public static string? Reveal(string? value, IReadOnlyDictionary<Guid, PersonalDataKey> keys)
    {
        if (!IsSealed(value)) return value;
        if (SubjectOf(value) is not { } subject || !keys.TryGetValue(subject, out var key)) return Erased;
        try
        {
            var sealedBytes = Base64Url.DecodeFromChars(value.AsSpan(Prefix.Length + 33));
            var cipherLength = sealedBytes.Length - NonceSize - TagSize;
            var plain = new byte[cipherLength];
            using var aes = new AesGcm(key.Key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, cipherLength),
                sealedBytes.AsSpan(NonceSize + cipherLength), plain, subject.ToByteArray());
            return Encoding.UTF8.GetString(plain);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException)
        {
            return Erased;
        }
    }
}

/// <summary>The keys a read needs, loaded once per request (never cached: an erased key must stop working at once, on every instance).</summary>
public sealed class KeyRing(IReadOnlyDictionary<Guid, PersonalDataKey> keys)
{
    public static readonly KeyRing None = new(new Dictionary<Guid, PersonalDataKey>());

    public string? Reveal(string? value) => PersonalData.Reveal(value, keys);

    public static async Task<KeyRing> For(IQuerySession session, IEnumerable<ReferralDetails> referrals, CancellationToken ct)
    {
        var subjects = referrals.Select(r => r.Subject).Distinct().ToArray();
        if (subjects.Length == 0) return None;
        var loaded = await session.LoadManyAsync<PersonalDataKey>(ct, subjects);
        return new KeyRing(loaded.ToDictionary(k => k.Id));
    }
}

/// <summary>Seals the new personal texts of one referral with its person's key.</summary>
public sealed class Sealer
{
    private readonly PersonalDataKey? key;

    private Sealer(PersonalDataKey? key) => this.key = key;

    public PersonalDataKey Key => key ?? throw Gone();

    public string Seal(string plaintext) => PersonalData.Seal(Key, plaintext);

    public string? SealOrNull(string? plaintext) => plaintext is null ? null : Seal(plaintext);

    /// <summary>A new person: a new key, stored in the same transaction as the referral's first events.</summary>
    public static Sealer ForNewPerson(IDocumentSession session, Guid subject, DateTimeOffset at)
    {
        var key = PersonalData.NewKey(subject, at);
        session.Insert(key);
        return new Sealer(key);
    }

    /// <summary>
    /// The key of an existing referral's person. Unknown referral: a sealer that is never used (the command answers
    /// 404 before deciding). Erased person: a sealer that refuses (409). A referral from before encryption: a key is
    /// created now, so at least what is written from now on can be erased.
    /// </summary>
    public static async Task<Sealer> ForReferral(IDocumentSession session, Guid referralId, DateTimeOffset at, CancellationToken ct)
    {
        var referral = await session.LoadAsync<ReferralDetails>(referralId, ct);
        if (referral is null || referral.ErasedAt is not null) return new Sealer(null);
        var key = await session.LoadAsync<PersonalDataKey>(referral.Subject, ct);
        if (key is null)
        {
            key = PersonalData.NewKey(referral.Subject, at);
            session.Insert(key);
        }
        return new Sealer(key);
    }

    private static BusinessRuleViolation Gone() =>
        new("Les données personnelles de cette orientation ont été effacées : aucun texte ne peut plus y être ajouté.");
}
