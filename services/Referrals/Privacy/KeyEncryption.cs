using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Coordination.Referrals.Privacy;

/// <summary>A key-encryption key (KEK): AES-256, named so that a wrapped person key says which KEK wrapped it.</summary>
public sealed record KeyEncryptionKey(string Id, byte[] Material)
{
    public override string ToString() => $"KeyEncryptionKey {Id}"; // never the material
}

/// <summary>
/// Where the key-encryption keys come from. They are never stored in the database: a dump of the database alone holds
/// only wrapped person keys, useless without them.
/// </summary>
/// <remarks>
/// <see cref="ConfiguredKeyEncryptionKeys"/> reads them from configuration and from a folder of secret files (development,
/// a Kubernetes Secret mounted as files). A KMS or Vault implementation fits the same seam: at start (and on
/// <see cref="Refresh"/>) it asks the KMS to decrypt the KEKs it keeps encrypted under a KMS master key (AWS KMS
/// <c>Decrypt</c>, Azure Key Vault <c>unwrapKey</c>, Vault transit <c>decrypt</c>) and holds the results in memory only;
/// the master key never leaves the KMS. See docs/privacy.md, "Key-encryption key".
/// </remarks>
public interface IKeyEncryptionKeyProvider
{
    /// <summary>The KEK new person keys are wrapped with, and the one a rotation re-wraps every key with.</summary>
    KeyEncryptionKey Current { get; }

    /// <summary>A KEK by id (the current one, or an older one kept until a rotation has re-wrapped everything).</summary>
    KeyEncryptionKey? Find(string id);

    /// <summary>Reads the source again: a rotation adds a KEK while the service runs.</summary>
    void Refresh();
}

/// <summary>
/// KEKs from configuration, section <c>Privacy:KeyEncryption</c>: <c>Keys:&lt;id&gt;</c> = base64 of 32 bytes, and/or
/// <c>Directory</c> = a folder of <c>&lt;id&gt;.key</c> files each holding base64 of 32 bytes (<c>./coordination up</c>
/// makes one in <c>.data/referrals/kek</c>). The current KEK is <c>Current</c> when set, else the greatest id (ids are
/// UTC timestamps, <c>20261206T031500Z</c>, so the newest wins). Without any KEK the service refuses to start.
/// </summary>
public sealed partial class ConfiguredKeyEncryptionKeys : IKeyEncryptionKeyProvider
{
    public const string Section = "Privacy:KeyEncryption";
    public const string FileExtension = ".key";
    private readonly IConfiguration configuration;
    private volatile Snapshot snapshot;

    public ConfiguredKeyEncryptionKeys(IConfiguration configuration)
    {
        this.configuration = configuration;
        snapshot = Read();
    }

    public KeyEncryptionKey Current => snapshot.Current;

    public KeyEncryptionKey? Find(string id) => snapshot.All.GetValueOrDefault(id);

    public void Refresh() => snapshot = Read();

    private Snapshot Read()
    {
        var section = configuration.GetSection(Section);
        var keys = new Dictionary<string, KeyEncryptionKey>(StringComparer.Ordinal);
        foreach (var entry in section.GetSection("Keys").GetChildren())
            Add(keys, entry.Key, entry.Value, $"{Section}:Keys:{entry.Key}");
        if (section["Directory"] is { Length: > 0 } directory && Directory.Exists(directory))
            foreach (var file in Directory.EnumerateFiles(directory, "*" + FileExtension))
                Add(keys, Path.GetFileNameWithoutExtension(file), File.ReadAllText(file), file);
        if (keys.Count == 0)
            throw new InvalidOperationException(
                $"No key-encryption key: set {Section}:Directory (a folder of <id>{FileExtension} files) or {Section}:Keys:<id> " +
                "(base64 of 32 random bytes). ./coordination up makes one in .data/referrals/kek; see docs/privacy.md.");
        var currentId = section["Current"] is { Length: > 0 } chosen ? chosen : keys.Keys.Max(StringComparer.Ordinal)!;
        var current = keys.GetValueOrDefault(currentId)
            ?? throw new InvalidOperationException($"{Section}:Current names '{currentId}', which is not among the key-encryption keys found.");
        return new Snapshot(current, keys);
    }

    private static void Add(Dictionary<string, KeyEncryptionKey> keys, string id, string? base64, string where)
    {
        if (!ValidId().IsMatch(id))
            throw new InvalidOperationException($"Key-encryption key id '{id}' ({where}): letters, digits, '-' and '_' only.");
        byte[] material;
        try { material = Convert.FromBase64String((base64 ?? "").Trim()); }
        catch (FormatException) { material = []; }
        if (material.Length != 32)
            throw new InvalidOperationException($"Key-encryption key '{id}' ({where}) is not base64 of 32 bytes.");
        keys[id] = new KeyEncryptionKey(id, material);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidId();

    private sealed record Snapshot(KeyEncryptionKey Current, IReadOnlyDictionary<string, KeyEncryptionKey> All);
}

/// <summary>
/// Envelope encryption of a person key: <c>kek1.&lt;kek id&gt;.&lt;base64url(nonce | ciphertext | tag)&gt;</c>, AES-256-GCM
/// under the KEK with the person (subject) id as associated data, so a wrapped key cannot be moved to another person.
/// </summary>
public static class KeyWrapping
{
    private const string Prefix = "kek1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static string Wrap(KeyEncryptionKey kek, Guid subject, byte[] personKey)
    {
        var wrapped = new byte[NonceSize + personKey.Length + TagSize];
        var nonce = wrapped.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(kek.Material, TagSize);
        aes.Encrypt(nonce, personKey, wrapped.AsSpan(NonceSize, personKey.Length), wrapped.AsSpan(NonceSize + personKey.Length), subject.ToByteArray());
        return $"{Prefix}{kek.Id}.{Base64Url.EncodeToString(wrapped)}";
    }

    /// <summary>The KEK id a stored value was wrapped with; null for a key stored before wrapping existed (plain base64).</summary>
    public static string? KekIdOf(string stored) =>
        stored.StartsWith(Prefix, StringComparison.Ordinal) && stored.IndexOf('.', Prefix.Length) is var end and > 0
            ? stored[Prefix.Length..end]
            : null;

    public static byte[] Unwrap(IKeyEncryptionKeyProvider keks, Guid subject, string stored)
    {
        if (KekIdOf(stored) is not { } kekId)
            return Convert.FromBase64String(stored); // stored before wrapping: the next rotation wraps it
        // An unknown KEK is an operator's mistake (a KEK removed before a rotation finished), never "erased": fail loudly.
        var kek = keks.Find(kekId)
            ?? throw new InvalidOperationException($"Person key wrapped with key-encryption key '{kekId}', which is not configured.");
        var wrapped = Base64Url.DecodeFromChars(stored.AsSpan(Prefix.Length + kekId.Length + 1));
        var key = new byte[wrapped.Length - NonceSize - TagSize];
        using var aes = new AesGcm(kek.Material, TagSize);
        aes.Decrypt(wrapped.AsSpan(0, NonceSize), wrapped.AsSpan(NonceSize, key.Length), wrapped.AsSpan(NonceSize + key.Length), key, subject.ToByteArray());
        return key;
    }
}

/// <summary>
/// How Marten stores a <see cref="PersonalDataKey"/>: its key wrapped under the current KEK, never in clear. Every write
/// of the document (a new person, a rotation) wraps; every read unwraps and tells which KEK it found
/// (<see cref="PersonalDataKey.WrappedWith"/>).
/// </summary>
public sealed class WrappedPersonalDataKeyConverter(IKeyEncryptionKeyProvider keks) : JsonConverter<PersonalDataKey>
{
    public override PersonalDataKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<StoredKey>(ref reader, options)
            ?? throw new JsonException("A person key document is empty.");
        return new PersonalDataKey(stored.Id, KeyWrapping.Unwrap(keks, stored.Id, stored.Key), stored.CreatedAt, KeyWrapping.KekIdOf(stored.Key));
    }

    public override void Write(Utf8JsonWriter writer, PersonalDataKey value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, new StoredKey(value.Id, KeyWrapping.Wrap(keks.Current, value.Id, value.Key), value.CreatedAt), options);

    private sealed record StoredKey(Guid Id, string Key, DateTimeOffset CreatedAt);
}

public static class KeyEncryptionSetup
{
    /// <summary>The KEKs (configuration and secret files unless a test or a KMS implementation registered its own) and
    /// the Marten serializer wrapping person keys with them.</summary>
    public static IHostApplicationBuilder AddPersonKeyWrapping(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<IKeyEncryptionKeyProvider, ConfiguredKeyEncryptionKeys>();
        builder.Services.ConfigureMarten((services, options) =>
        {
            var serializer = options.Serializer() as Marten.Services.SystemTextJsonSerializer
                ?? throw new InvalidOperationException("Person keys are wrapped by a System.Text.Json converter: Marten must use System.Text.Json.");
            var converter = new WrappedPersonalDataKeyConverter(services.GetRequiredService<IKeyEncryptionKeyProvider>());
            serializer.Configure(json => json.Converters.Add(converter));
        });
        return builder;
    }
}
