using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coordination.Testing;

/// <summary>Self-signed RSA certificates written as PKCS#12 files, with the validity a rollover test needs.</summary>
public static class TestCertificates
{
    public const string Password = "certificat-de-test";

    /// <summary>Writes the certificate (with its private key) to a new temporary file and returns the file's path.</summary>
    public static string Create(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN={name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        var path = Path.Combine(Path.GetTempPath(), $"coordination-{name}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return path;
    }

    /// <summary>The key id OpenIddict gives a certificate's key in the JWKS and in the tokens it signs (its SHA-1 thumbprint).</summary>
    public static string KeyId(string path) =>
        X509CertificateLoader.LoadPkcs12FromFile(path, Password, X509KeyStorageFlags.EphemeralKeySet).Thumbprint;
}
