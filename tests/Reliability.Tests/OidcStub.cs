using Microsoft.Extensions.Logging;
using System.Net;
using Coordination.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.Reliability.Tests;

/// <summary>
/// The smallest OpenID Connect issuer the services accept: a discovery document and a JWKS publishing the
/// public half of <see cref="TestTokens.Key"/>. Tokens are then minted in the test with this issuer,
/// and the service processes validate them exactly as in production (standard discovery, signature, audience).
/// </summary>
public sealed class OidcStub : IAsyncDisposable
{
    private readonly WebApplication app;

    public OidcStub()
    {
        var port = LocalMachine.FreePort();
        Issuer = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        app = builder.Build();
        var key = TestTokens.Key.Rsa.ExportParameters(includePrivateParameters: false);
        var jwks = new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA", use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = TestTokens.Key.KeyId,
                    n = Base64UrlEncoder.Encode(key.Modulus), e = Base64UrlEncoder.Encode(key.Exponent),
                },
            },
        };
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"{Issuer}/.well-known/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { SecurityAlgorithms.RsaSha256 },
        }));
        app.MapGet("/.well-known/jwks", () => Results.Json(jwks));
    }

    public string Issuer { get; }

    public Task StartAsync() => app.StartAsync();

    public string Token(string role, Guid? organisationId = null, string? userId = null) =>
        TestTokens.For(role, organisationId, userId, validFor: TimeSpan.FromHours(1), issuer: Issuer);

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
