using System.Net;
using System.Net.Sockets;
using Coordination.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.Operations.Tests;

/// <summary>
/// The discovery document and JWKS of <see cref="TestTokens"/>' issuer on a real socket, so that services running
/// as separate processes validate test tokens through standard OpenID Connect discovery (Identity__Authority).
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication app;

    public Uri Address { get; }

    private TestIssuer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public static async Task<TestIssuer> StartAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var address = new Uri($"http://127.0.0.1:{port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.ToString());
        var app = builder.Build();
        var key = TestTokens.Key.Rsa.ExportParameters(includePrivateParameters: false);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = TestTokens.Issuer,
            ["jwks_uri"] = new Uri(address, "/.well-known/jwks").ToString(),
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/.well-known/jwks", () => Results.Json(new Dictionary<string, object>
        {
            ["keys"] = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = TestTokens.Key.KeyId,
                    ["n"] = Base64UrlEncoder.Encode(key.Modulus), ["e"] = Base64UrlEncoder.Encode(key.Exponent),
                },
            },
        }));
        await app.StartAsync();
        return new TestIssuer(app, address);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
