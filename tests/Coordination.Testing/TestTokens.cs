using System.Security.Cryptography;
using Coordination.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.Testing;

/// <summary>
/// Tokens signed like the development issuer's, for tests that run a service without the issuer.
/// The same key can be written as PEM for an Identity test host, so both issue interchangeable tokens.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://identity.coordination.test";
    public const string Audience = AuthenticationSetup.DefaultAudience;

    private static readonly RSA Rsa = RSA.Create(2048);
    public static readonly RsaSecurityKey Key = new(Rsa) { KeyId = "test-key" };

    /// <summary>What a service would read from the issuer's discovery document and JWKS.</summary>
    public static OpenIdConnectConfiguration OpenIdConfiguration
    {
        get
        {
            var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
            configuration.SigningKeys.Add(Key);
            return configuration;
        }
    }

    public static string PrivateKeyPem => Rsa.ExportPkcs8PrivateKeyPem();

    public static string For(string role, Guid? organisationId = null, string? userId = null,
        TimeSpan? validFor = null, DateTime? notBefore = null, string issuer = Issuer, string audience = Audience,
        SecurityKey? signingKey = null, bool withSubject = true, bool manager = false,
        bool archiveAccess = false, string tokenType = AuthenticationSetup.AccessTokenType)
    {
        var now = DateTime.UtcNow;
        var expires = now + (validFor ?? TimeSpan.FromMinutes(10));
        var claims = new Dictionary<string, object>
        {
            [CoordinationClaims.UserId] = userId ?? $"user-{role}-{Guid.NewGuid():N}"[..24],
            [CoordinationClaims.Name] = "Utilisatrice de test",
            [CoordinationClaims.Role] = role,
        };
        if (!withSubject)
            claims.Remove(CoordinationClaims.UserId);
        if (organisationId is { } org)
            claims[CoordinationClaims.OrganisationId] = org.ToString();
        if (manager)
            claims[CoordinationClaims.OrganisationManager] = "true";
        if (archiveAccess)
            claims[CoordinationClaims.ArchiveAccess] = "true";
        var nbf = notBefore ?? (expires < now ? expires.AddMinutes(-10) : now);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = tokenType,
            Issuer = issuer,
            Audience = audience,
            IssuedAt = nbf,
            NotBefore = nbf,
            Expires = expires,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signingKey ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>Expired five minutes ago (beyond the 30 s clock skew).</summary>
    public static string Expired(string role) => For(role, validFor: TimeSpan.FromMinutes(-5));

    public static string SignedByAnotherKey(string role) =>
        For(role, signingKey: new RsaSecurityKey(RSA.Create(2048)) { KeyId = Key.KeyId });
}
