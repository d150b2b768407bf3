using Coordination.DirectoryView;
using Coordination.Identity.Accounts;
using Coordination.Identity.Accounts.Publishing;
using Coordination.Identity.Accounts.SecondFactor;
using Coordination.Identity.Accounts.SigningInWithProConnect;
using Coordination.Identity.Endpoints;
using Coordination.Identity.Mail;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults.Mail;
using Coordination.Identity.Clients;
using Coordination.Identity.Keys;
using Coordination.Identity.Sessions;
using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Coordination.Identity;

/// <summary>
/// The embedded OpenID Connect provider (OpenIddict): authorization code + PKCE for the portal, client credentials
/// for jobs, password grant for scripts and tests, refresh tokens, end session, discovery and a rotating JWKS.
/// Accounts are event streams in Marten (sign-ins and second factors are events; failures are delay counters). Codes, refresh tokens and
/// sessions (authorizations) are rows of OpenIddict's token storage in the same database (<see cref="TokenStorage"/>):
/// codes are single-use, refresh tokens roll with reuse detection, a session lasts at most 12 h and can be ended.
/// </summary>
public static class IdentityServiceExtensions
{
    public const string LoginCookie = "Coordination.Identity";
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromMinutes(5);

    public static IHostApplicationBuilder AddIdentityProvider(this IHostApplicationBuilder builder)
    {
        var identity = builder.Configuration.GetSection("Identity");
        var issuer = identity["Issuer"] ?? throw new InvalidOperationException("Configuration 'Identity:Issuer' is missing.");
        var audience = identity["Audience"] ?? AuthenticationSetup.DefaultAudience;

        // The platform's public address (the gateway's, e.g. https://coordination.example): the issuer that tokens name and
        // the base of every endpoint that discovery advertises, so a standard client configured with it finds its own
        // address there. Absent: Identity:Issuer, this process's own address.
        var publicOrigin = identity["PublicOrigin"] is { Length: > 0 } origin ? origin : issuer;
        var developmentOrTests = builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing");
        // The accounts API validates bearer tokens like every service; by default its metadata comes from this process.
        builder.Configuration["Identity:Authority"] ??= issuer;
        builder.AddDefaultAuthentication();

        builder.AddEventStore("identity", options =>
            {
                options.Events.MapEventType<AccountRegistered>("account_registered");
                options.Events.MapEventType<AccountInvited>("account_invited");
                options.Events.MapEventType<AccountInvitationRenewed>("account_invitation_renewed");
                options.Events.MapEventType<AccountActivated>("account_activated");
                options.Events.MapEventType<AccountRoleChanged>("account_role_changed");
                options.Events.MapEventType<AccountOrganisationChanged>("account_organisation_changed");
                options.Events.MapEventType<AccountDisabled>("account_disabled");
                options.Events.MapEventType<AccountReenabled>("account_reenabled");
                options.Events.MapEventType<PasswordChanged>("password_changed");
                options.Events.MapEventType<PasswordResetRequested>("password_reset_requested");
                options.Events.MapEventType<PasswordResetCompleted>("password_reset_completed");
                options.Events.MapEventType<SignInSucceeded>("sign_in_succeeded");
                options.Events.MapEventType<SignInFailed>("sign_in_failed");
                options.Events.MapEventType<AccountLockedOut>("account_locked_out");
                options.Events.MapEventType<ExternalIdentityLinked>("external_identity_linked");
                options.Events.MapEventType<MfaEnrolled>("mfa_enrolled");
                options.Events.MapEventType<MfaReset>("mfa_reset");
                options.Events.MapEventType<MfaCodeAccepted>("mfa_code_accepted");
                options.Events.MapEventType<MfaRecoveryCodeUsed>("mfa_recovery_code_used");
                options.Projections.Add(new AccountProjection(), ProjectionLifecycle.Live);
                options.Projections.Add(new AccountDetailsProjection(), ProjectionLifecycle.Inline);
                // A second account for one address would receive the other's reset links.
                options.Schema.For<AccountDetails>().UniqueIndex(a => a.Email!).Duplicate(a => a.UserId).Duplicate(a => a.OrganisationId);
                options.Projections.Add(new ProConnectLinkProjection(), ProjectionLifecycle.Inline);
                // One account per ProConnect identity: the sub finds the account before any address does.
                options.Schema.For<ProConnectLink>().UniqueIndex(l => l.Subject);
                options.Schema.For<PendingMail>().Duplicate(m => m.NextAttemptAt);
                options.Schema.For<SignInFailures>();
                options.AddDirectoryView();
            })
            .PublishIntegrationEvents<AccountContractsMapper>(batchSize: 200);
        // Organisations come from the Directory's events (a first manager is given only to a registered organisation);
        // one at a time, as in the other services, so that the inline KnownOrganisation view never races.
        builder.AddMessaging(serviceName: "identity", bus => bus.AddConsumer<DirectoryEventsConsumer>(), concurrentMessageLimit: 1);

        builder.Services.Configure<SignInDelayOptions>(identity.GetSection("SignInDelays"));
        builder.Services.Configure<MfaOptions>(options =>
        {
            options.PasswordGrantSkipsMfa = developmentOrTests;
            identity.GetSection("Mfa").Bind(options);
        });
        builder.Services.AddSingleton<SecretProtection>();
        builder.Services.Configure<OneTimeLinkOptions>(identity.GetSection("Links"));
        builder.Services.Configure<OutboxOptions>(identity.GetSection("Outbox"));
        builder.AddMail();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<AccountMails>();
        builder.Services.AddSingleton<MailOutbox>();
        builder.Services.AddHostedService<MailOutboxSender>();
        builder.Services.AddHostedService<AccountImport>();
        // Queued e-mails, the sign-in cookie and antiforgery tokens: readable by every replica and after restarts.
        builder.AddIdentityKeyRing();
        var registry = new ClientRegistry(identity.GetSection("Clients").Get<List<ClientApplication>>() ?? []);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<SigningKeys>();
        builder.AddTokenStorage();
        var sessionLifetime = identity.GetValue("SessionLifetime", TimeSpan.FromHours(12));
        builder.Services.AddSingleton(new SessionSettings(sessionLifetime));
        builder.Services.AddScoped<SessionLifetime>();
        builder.Services.AddScoped<SessionEnding>();
        builder.Services.AddSingleton<SessionEndingListener>();
        builder.Services.ConfigureMarten((services, options) => options.Listeners.Add(services.GetRequiredService<SessionEndingListener>()));
        // Secure cookies (sign-in, second step, antiforgery) wherever HTTPS is required, or when said so (Identity:SecureCookies).
        var secureCookies = identity.GetValue("SecureCookies", identity.GetValue("RequireHttps", false));
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "Coordination.Identity.Antiforgery";
            o.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        });

        // Not the default scheme: the sign-in cookie is read only where the provider asks for it (authorize, login).
        // The second-step cookie lies between the password and the code (or the enrolment of an app): ten minutes, and it
        // opens nothing else.
        builder.Services.AddAuthentication()
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, cookie => SignInCookie(cookie, LoginCookie, TimeSpan.FromHours(8), sliding: true))
            .AddCookie(SignInCookies.SecondStepScheme, cookie => SignInCookie(cookie, SignInCookies.SecondStepScheme, TimeSpan.FromMinutes(10), sliding: false));

        void SignInCookie(CookieAuthenticationOptions cookie, string name, TimeSpan lifetime, bool sliding)
        {
            cookie.Cookie.Name = name;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/account/login";
            cookie.ExpireTimeSpan = lifetime;
            cookie.SlidingExpiration = sliding;
        }

        var keys = new SigningKeys(builder.Configuration, TimeProvider.System);
        // At most five minutes, whatever the configuration says: a disabled account loses API access within that delay.
        var accessTokenLifetime = identity.GetValue("AccessTokenLifetime", MaxAccessTokenLifetime);
        if (accessTokenLifetime > MaxAccessTokenLifetime || accessTokenLifetime <= TimeSpan.Zero)
            accessTokenLifetime = MaxAccessTokenLifetime;
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(new Uri(publicOrigin))
                .SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/logout")
                .SetRevocationEndpointUris("connect/revoke")
                .SetJsonWebKeySetEndpointUris(".well-known/jwks");
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                .AllowClientCredentialsFlow()
                .AllowRefreshTokenFlow();
            // PKCE with S256 only: "plain" would give the verifier to whoever reads the authorization request.
            server.Configure(options => options.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain));
            // The password grant (scripts, tests, the demo's seeding) only where said so; in Development and tests by default.
            if (identity.GetValue("PasswordGrant", developmentOrTests))
                server.AllowPasswordFlow();
            server.RegisterScopes(OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.Profile, OpenIddictConstants.Scopes.OfflineAccess);
            server.SetAccessTokenLifetime(accessTokenLifetime)
                .SetRefreshTokenLifetime(sessionLifetime)
                .SetRefreshTokenReuseLeeway(identity.GetValue("RefreshTokenReuseGrace", TimeSpan.FromSeconds(10)));
            server.AddEventHandler(RevokeSessionOnRefreshTokenReplay.Descriptor);
            foreach (var key in keys.Signing)
                server.AddSigningKey(key);
            foreach (var key in keys.Encryption)
                server.AddEncryptionKey(key);
            // Services read access tokens as plain signed JWTs, like any other provider's.
            server.DisableAccessTokenEncryption();
            server.AcceptAnonymousClients();

            var aspNet = server.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableTokenEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();
            if (!identity.GetValue("RequireHttps", false))
                aspNet.DisableTransportSecurityRequirement();

            // Discovery would name the address each request arrived at: it names the public one instead (requests still
            // reach this process at its own address, through the gateway).
            var advertised = new Uri(publicOrigin.TrimEnd('/') + "/");
            server.AddEventHandler<HandleConfigurationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                context.AuthorizationEndpoint = new Uri(advertised, "connect/authorize");
                context.TokenEndpoint = new Uri(advertised, "connect/token");
                context.EndSessionEndpoint = new Uri(advertised, "connect/logout");
                context.RevocationEndpoint = new Uri(advertised, "connect/revoke");
                context.JsonWebKeySetEndpoint = new Uri(advertised, ".well-known/jwks");
                return default;
            }).SetOrder(OpenIddictServerHandlers.Discovery.AttachEndpoints.Descriptor.Order - 1));
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var client = registry.Find(context.ClientId);
                if (context.ClientId is null || client is null || !client.GrantTypes.Contains(OpenIddictConstants.GrantTypes.AuthorizationCode))
                    context.Reject(OpenIddictConstants.Errors.InvalidClient, "Application inconnue ou non autorisée à ce parcours.");
                else if (context.RedirectUri is null || !client.RedirectUris.Contains(context.RedirectUri, StringComparer.Ordinal))
                    context.Reject(OpenIddictConstants.Errors.InvalidRequest, "Adresse de retour non enregistrée pour cette application.");
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var client = registry.Find(context.ClientId);
                if (client is null || !client.GrantTypes.Contains(context.Request.GrantType ?? ""))
                    context.Reject(OpenIddictConstants.Errors.UnauthorizedClient, "Application inconnue ou non autorisée à ce type de demande.");
                else if (!ClientRegistry.SecretMatches(client, context.ClientSecret))
                    context.Reject(OpenIddictConstants.Errors.InvalidClient, "Identification de l'application refusée.");
                return default;
            }));
            server.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } uri && !registry.AllPostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal))
                    context.Reject(OpenIddictConstants.Errors.InvalidRequest, "Adresse de retour après déconnexion non enregistrée.");
                return default;
            }));
        });
        builder.AddProConnect(publicOrigin, keys.Signing, keys.Encryption, identity.GetValue("RequireHttps", false));
        builder.Services.AddSingleton(new AudienceSettings(audience));
        return builder;
    }
}

public sealed record AudienceSettings(string Audience);
