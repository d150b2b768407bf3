using Microsoft.IdentityModel.Tokens;
using OpenIddict.Client;

namespace Coordination.Identity.Accounts.SigningInWithProConnect;

/// <summary>Section <c>Identity:ProConnect</c>. Off unless <see cref="Enabled"/>; then the other keys are required.</summary>
public sealed class ProConnectOptions
{
    public bool Enabled { get; set; }

    /// <summary>ProConnect's issuer, whose <c>/.well-known/openid-configuration</c> describes it (e.g. <c>https://auth.agentconnect.gouv.fr/api/v2</c>).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Space-separated; ProConnect's minimum set. Only <c>email</c> is used (no name is kept or shown).</summary>
    public string Scope { get; set; } = "openid email given_name usual_name";

    /// <summary>The assurance level asked for; whatever comes back is accepted and recorded on the sign-in event.</summary>
    public string AcrValues { get; set; } = "eidas1";
}

/// <summary>
/// Federation with ProConnect (the French state's sign-in for professionals) through OpenIddict's client, as a standard
/// OpenID Connect provider: state, nonce and PKCE are the client's, its state tokens are signed and encrypted with the
/// provider's own keys and stored (single use) beside the codes. Registered only when switched on.
/// </summary>
public static class ProConnect
{
    public const string ProviderName = "ProConnect";
    public const string CallbackPath = "/connect/proconnect/callback";
    public const string ChallengePath = "/account/proconnect";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Identity:ProConnect:Enabled", false);

    public static void AddProConnect(this IHostApplicationBuilder builder, string publicOrigin, IReadOnlyList<SecurityKey> signing,
        IReadOnlyList<SecurityKey> encryption, bool requireHttps)
    {
        var section = builder.Configuration.GetSection("Identity:ProConnect");
        var options = section.Get<ProConnectOptions>() ?? new ProConnectOptions();
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
            return;
        string Required(string? value, string key) => value is { Length: > 0 }
            ? value
            : throw new InvalidOperationException($"Configuration 'Identity:ProConnect:{key}' is missing (ProConnect is enabled).");
        var authority = Required(options.Authority, nameof(options.Authority));
        var registration = new OpenIddictClientRegistration
        {
            Issuer = new Uri(authority, UriKind.Absolute),
            ProviderName = ProviderName,
            ProviderDisplayName = ProviderName,
            ClientId = Required(options.ClientId, nameof(options.ClientId)),
            ClientSecret = Required(options.ClientSecret, nameof(options.ClientSecret)),
            // The address to declare at ProConnect: the platform's public one (through the gateway, which routes /connect/*).
            RedirectUri = new Uri(new Uri(publicOrigin.TrimEnd('/') + "/"), CallbackPath.TrimStart('/')),
        };
        foreach (var scope in options.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            registration.Scopes.Add(scope);

        builder.Services.AddOpenIddict().AddClient(client =>
        {
            client.AllowAuthorizationCodeFlow();
            client.SetRedirectionEndpointUris(CallbackPath.TrimStart('/'));
            foreach (var key in signing)
                client.AddSigningKey(key);
            foreach (var key in encryption)
                client.AddEncryptionKey(key);
            var aspNet = client.UseAspNetCore().EnableRedirectionEndpointPassthrough().EnableErrorPassthrough();
            if (!requireHttps)
                aspNet.DisableTransportSecurityRequirement();
            client.UseSystemNetHttp();
            client.AddRegistration(registration);
        });
    }
}
