using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Coordination.Identity.Tests;

/// <summary>
/// A second OpenID Connect provider playing ProConnect, on Kestrel at 127.0.0.1 (real HTTP, which Identity's OpenIddict
/// client calls for discovery, keys, token and userinfo): a minimal OpenIddict server in degraded mode (no database, any
/// client accepted: this is the test's stand-in, never a pattern for Identity). Its authorization endpoint signs in
/// <see cref="Next"/> at once, as ProConnect would after the person chose their identity provider.
/// </summary>
public sealed class FakeProConnect : IAsyncDisposable
{
    /// <param name="EmailVerified">Null: no <c>email_verified</c> claim at all (ProConnect's own behaviour).</param>
    public sealed record User(string Subject, string Email, bool? EmailVerified = true);

    private readonly WebApplication app;

    private FakeProConnect(WebApplication app, string authority) => (this.app, Authority) = (app, authority);

    /// <summary>The issuer, with its trailing slash, as discovery states it.</summary>
    public string Authority { get; }

    public User Next { get; set; } = new("unset", "unset@example.test");

    /// <summary>The <c>acr_values</c> of the last authorization request received.</summary>
    public string? LastAcrValues { get; private set; }

    public static async Task<FakeProConnect> StartAsync()
    {
        var authority = $"http://127.0.0.1:{FreePort()}/";
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls(authority);
        builder.Logging.ClearProviders();
        FakeProConnect? self = null;
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(new Uri(authority))
                .SetAuthorizationEndpointUris("authorize")
                .SetTokenEndpointUris("token")
                .SetUserInfoEndpointUris("userinfo");
            server.AllowAuthorizationCodeFlow();
            server.RegisterScopes(Scopes.Email, "given_name", "usual_name");
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
            server.EnableDegradedMode();
            // Degraded mode validates nothing of the client by itself: this stand-in accepts any.
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(_ => default));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(_ => default));
            server.UseAspNetCore().DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().EnableUserInfoEndpointPassthrough();
        });
        var app = builder.Build();
        self = new FakeProConnect(app, authority);

        app.MapMethods("/authorize", ["GET", "POST"], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            self.LastAcrValues = (string?)request[Parameters.AcrValues];
            var user = self.Next;
            var identity = new ClaimsIdentity("proconnect", Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Email, user.Email)
                .SetClaim(Claims.GivenName, "Camille").SetClaim("usual_name", "Martin")
                .SetClaim(Claims.AuthenticationContextReference, "eidas1");
            if (user.EmailVerified is { } verified)
                identity.AddClaim(new Claim(Claims.EmailVerified, verified ? "true" : "false", ClaimValueTypes.Boolean));
            identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
            var principal = new ClaimsPrincipal(identity);
            principal.SetScopes(request.GetScopes());
            return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapPost("/token", async (HttpContext http) =>
        {
            // The code was checked by OpenIddict (signature, PKCE, expiry): issue the tokens for its principal.
            var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapMethods("/userinfo", ["GET", "POST"], async (HttpContext http) =>
        {
            var token = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal!;
            var claims = new Dictionary<string, object?>
            {
                [Claims.Subject] = token.GetClaim(Claims.Subject),
                [Claims.Email] = token.GetClaim(Claims.Email),
                [Claims.GivenName] = token.GetClaim(Claims.GivenName),
                ["usual_name"] = token.GetClaim("usual_name"),
            };
            if (token.GetClaim(Claims.EmailVerified) is { } verified)
                claims[Claims.EmailVerified] = bool.Parse(verified);
            return Results.Json(claims);
        });
        await app.StartAsync();
        return self;
    }

    /// <summary>A port nobody listens on now (the provider must know its issuer before it starts).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
