using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.ServiceDefaults.Security;

/// <summary>
/// Standard OpenID Connect bearer validation: the issuer's discovery document gives the signing keys.
/// Any OIDC provider works by configuration alone (<c>Identity:Authority</c>, <c>Identity:Audience</c>).
/// The gateway validates tokens, and every service validates them again: the gateway is not trusted alone.
/// </summary>
public static class AuthenticationSetup
{
    public const string DefaultAudience = "coordination-api";

    /// <summary>The <c>typ</c> header of a JWT access token (RFC 9068): an identity token or another JWT is not one.</summary>
    public const string AccessTokenType = "at+jwt";

    public static IHostApplicationBuilder AddDefaultAuthentication(this IHostApplicationBuilder builder)
    {
        var identity = builder.Configuration.GetSection("Identity");
        var authority = identity["Authority"]
            ?? throw new InvalidOperationException("Configuration 'Identity:Authority' is missing: the URL of the OpenID Connect issuer.");

        // Empty for a provider whose access tokens say only "JWT" (then any signed token of the issuer and audience passes).
        var accessTokenType = identity["AccessTokenType"] ?? AccessTokenType;

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.Authority = authority;
                options.Audience = identity["Audience"] ?? DefaultAudience;
                options.RequireHttpsMetadata = identity.GetValue("RequireHttpsMetadata", true);
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256],
                    NameClaimType = CoordinationClaims.Name,
                    RoleClaimType = CoordinationClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    ValidTypes = accessTokenType.Length == 0 ? null : [accessTokenType],
                };
            });

        // Full validation once per token and process, then recognised until it expires (ValidatedTokenCache).
        builder.Services.AddSingleton<ValidatedTokenCache>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ValidatedTokenCache>((options, handler) =>
            {
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(handler);
            });

        // A token without a subject cannot say who acted: refused everywhere (403), never half-accepted.
        var authenticatedCaller = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().RequireClaim(CoordinationClaims.UserId).Build();
        // A job's client-credentials token (role "service") reaches the operators' job endpoints only, nothing a person uses.
        var authenticatedUser = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
            .Combine(authenticatedCaller)
            .RequireAssertion(c => !c.User.HasClaim(CoordinationClaims.Role, Roles.Service)).Build();
        builder.Services.AddAuthorizationBuilder()
            // Every endpoint needs a valid token unless it says AllowAnonymous (health probes, discovery);
            // the default policy is also what the gateway's routes ask for ("default").
            .SetDefaultPolicy(authenticatedUser)
            .SetFallbackPolicy(authenticatedUser)
            .AddPolicy(Policies.Coordinators, p => p.Combine(authenticatedUser).RequireRole(Roles.NationalCoordinator, Roles.Admin))
            .AddPolicy(Policies.Admins, p => p.Combine(authenticatedUser).RequireRole(Roles.Admin))
            .AddPolicy(Policies.Jobs, p => p.Combine(authenticatedCaller).RequireRole(Roles.Admin, Roles.Service));
        return builder;
    }
}
