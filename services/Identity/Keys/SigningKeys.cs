using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.Identity.Keys;

/// <summary>
/// Signing keys with rotation: RSA keys as PEM files in <c>Identity:KeysDirectory</c>, named by creation time. The
/// newest signs; keys younger than two rotation periods stay published in the JWKS so tokens signed before a
/// rotation remain valid; a new key is made when the newest is older than <c>Identity:RotateSigningKeyEvery</c>.
/// <c>Identity:SigningKeyPath</c> pins one key instead (tests). Also the symmetric key that encrypts codes and
/// refresh tokens, kept in the same folder so they survive a restart.
/// <para>
/// Several replicas: certificates instead (<c>Identity:SigningCertificates</c> and <c>Identity:EncryptionCertificates</c>,
/// each <c>N:Path</c> and <c>N:Password</c>, PKCS#12; or the files <c>signing-*.pfx</c> and <c>encryption-*.pfx</c> of
/// <c>Identity:CertificatesDirectory</c>, password <c>Identity:CertificatesPassword</c>), the same in every replica. Rollover by overlapping
/// validity: among the certificates valid now, the one that expires last signs (or encrypts); the others valid now still
/// validate (decrypt) what they produced; one not valid yet is already published in the JWKS, so services know it before
/// it signs; an expired one is dropped. docs/operations.md tells the procedure.
/// </para>
/// </summary>
public sealed class SigningKeys
{
    private const string Prefix = "signing-";

    public SigningKeys(IConfiguration configuration, TimeProvider time)
    {
        var identity = configuration.GetSection("Identity");
        var now = time.GetUtcNow();
        var folder = identity["CertificatesDirectory"] is { Length: > 0 } certificates && Directory.Exists(certificates) ? certificates : null;
        var password = identity["CertificatesPassword"];
        var signingCertificates = Certificates(identity.GetSection("SigningCertificates"), folder, "signing-*.pfx", password, now);
        var encryptionCertificates = Certificates(identity.GetSection("EncryptionCertificates"), folder, "encryption-*.pfx", password, now);
        if (signingCertificates.Count > 0 && encryptionCertificates.Count > 0)
        {
            Signing = signingCertificates;
            Encryption = encryptionCertificates;
            return;
        }
        if (signingCertificates.Count > 0 || encryptionCertificates.Count > 0)
            throw new InvalidOperationException("Identity:SigningCertificates and Identity:EncryptionCertificates go together: give both, or neither.");

        var directory = identity["KeysDirectory"] ?? Path.Combine(".data", "identity", "keys");
        Directory.CreateDirectory(directory);
        Encryption = [new SymmetricSecurityKey(LoadOrCreate(Path.Combine(directory, "encryption.key"), () => RandomNumberGenerator.GetBytes(32)))];

        if (identity["SigningKeyPath"] is { Length: > 0 } pinned)
        {
            Signing = [Load(pinned, create: true)];
            return;
        }
        var rotateEvery = identity.GetValue("RotateSigningKeyEvery", TimeSpan.FromDays(90));
        var keys = Directory.GetFiles(directory, Prefix + "*.pem")
            .Select(path => (Path: path, Created: CreatedAt(path)))
            .Where(k => k.Created is not null && now - k.Created < rotateEvery * 2)
            .OrderByDescending(k => k.Created)
            .ToList();
        if (keys.Count == 0 || now - keys[0].Created >= rotateEvery)
        {
            var path = Path.Combine(directory, $"{Prefix}{now:yyyyMMddHHmmss}.pem");
            keys.Insert(0, (path, now));
        }
        Signing = [.. keys.Select(k => Load(k.Path, create: true))];
    }

    /// <summary>Newest first: OpenIddict signs with the first and publishes all.</summary>
    public IReadOnlyList<SecurityKey> Signing { get; }

    /// <summary>The first encrypts codes and refresh tokens; every one decrypts.</summary>
    public IReadOnlyList<SecurityKey> Encryption { get; }

    /// <summary>
    /// The certificates of one list and of the folder's files matching <paramref name="pattern"/> that have not expired,
    /// in the order OpenIddict itself uses: valid now before not yet valid, then the furthest expiry first.
    /// </summary>
    private static List<SecurityKey> Certificates(IConfigurationSection list, string? folder, string pattern, string? password, DateTimeOffset now)
    {
        var files = list.GetChildren()
            .Select(entry => (Path: entry["Path"] is { Length: > 0 } path ? path : throw new InvalidOperationException($"Configuration '{entry.Path}:Path' is missing."),
                Password: entry["Password"]))
            .Concat(folder is null ? [] : Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).Select(path => (Path: path, Password: password)));
        return
        [
            .. files
                .Select(file => X509CertificateLoader.LoadPkcs12FromFile(file.Path, file.Password, X509KeyStorageFlags.EphemeralKeySet))
                .Where(certificate => certificate.HasPrivateKey
                    ? new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) > now
                    : throw new InvalidOperationException($"The certificate {certificate.Subject} ({list.Path}) has no private key."))
                .OrderBy(certificate => new DateTimeOffset(certificate.NotBefore.ToUniversalTime()) > now)
                .ThenByDescending(certificate => certificate.NotAfter)
                .Select(certificate => new X509SecurityKey(certificate)),
        ];
    }

    private static DateTimeOffset? CreatedAt(string path) =>
        DateTimeOffset.TryParseExact(Path.GetFileNameWithoutExtension(path)[Prefix.Length..], "yyyyMMddHHmmss",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : null;

    private static RsaSecurityKey Load(string path, bool create)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
            rsa.ImportFromPem(File.ReadAllText(path));
        else if (create)
        {
            rsa.KeySize = 2048;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            Restrict(path);
        }
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    private static byte[] LoadOrCreate(string path, Func<byte[]> create)
    {
        if (File.Exists(path)) return Convert.FromBase64String(File.ReadAllText(path));
        var bytes = create();
        File.WriteAllText(path, Convert.ToBase64String(bytes));
        Restrict(path);
        return bytes;
    }

    private static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
