using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.Identity.Tokens;

/// <summary>
/// The RSA key that signs access tokens. Kept in a PEM file (mode 600) so tokens survive restarts;
/// made on first start when the file does not exist. Its public half is published as JWKS.
/// </summary>
public sealed class SigningKey
{
    public SigningKey(string path)
    {
        var rsa = RSA.Create();
        if (File.Exists(path))
            rsa.ImportFromPem(File.ReadAllText(path));
        else
        {
            rsa.KeySize = 2048;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, rsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Key = new RsaSecurityKey(rsa);
        Key.KeyId = Base64UrlEncoder.Encode(Key.ComputeJwkThumbprint());
        Credentials = new SigningCredentials(Key, SecurityAlgorithms.RsaSha256);
    }

    public RsaSecurityKey Key { get; }

    public SigningCredentials Credentials { get; }

    public object PublicJwk
    {
        get
        {
            var parameters = Key.Rsa.ExportParameters(includePrivateParameters: false);
            return new
            {
                kty = "RSA",
                use = "sig",
                alg = SecurityAlgorithms.RsaSha256,
                kid = Key.KeyId,
                n = Base64UrlEncoder.Encode(parameters.Modulus),
                e = Base64UrlEncoder.Encode(parameters.Exponent),
            };
        }
    }
}
