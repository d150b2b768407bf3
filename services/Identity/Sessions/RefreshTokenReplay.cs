using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;
using static OpenIddict.Server.OpenIddictServerHandlerFilters;

namespace Coordination.Identity.Sessions;

/// <summary>
/// Refresh tokens roll: each use redeems the token and gives a new one. A redeemed refresh token presented again after
/// the short grace (<c>Identity:RefreshTokenReuseGrace</c>, for a client's concurrent refreshes) means that two parties
/// hold the chain: OpenIddict refuses it and revokes the chain's tokens, and this handler also revokes the
/// authorization, so the session is over for both and its owner signs in again.
/// </summary>
public sealed class RevokeSessionOnRefreshTokenReplay(
    IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, TimeProvider time)
    : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .AddFilter<RequireDegradedModeDisabled>()
        .AddFilter<RequireTokenStorageEnabled>()
        .AddFilter<RequireTokenIdResolved>()
        .UseScopedHandler<RevokeSessionOnRefreshTokenReplay>()
        // Just before OpenIddict's own check of the token entry, which refuses the replay and ends the pipeline.
        .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        if (context.TokenId is null || context.AuthorizationId is null || context.Principal?.HasTokenType(TokenTypeIdentifiers.RefreshToken) != true)
            return;
        if (await tokens.FindByIdAsync(context.TokenId) is not { } token || !await tokens.HasStatusAsync(token, Statuses.Redeemed))
            return;
        var now = context.Options.TimeProvider?.GetUtcNow() ?? time.GetUtcNow();
        if (context.Options.RefreshTokenReuseLeeway is { } grace && await tokens.GetRedemptionDateAsync(token) is { } redeemedAt
            && now < redeemedAt + grace)
            return;
        if (await authorizations.FindByIdAsync(context.AuthorizationId) is { } authorization)
            await authorizations.TryRevokeAsync(authorization);
    }
}

/// <summary>
/// A session lasts at most <c>Identity:SessionLifetime</c> (12 h) from its sign-in, however often it is refreshed: the
/// authorization's creation date is the sign-in, and each new refresh token lives only until then.
/// </summary>
public sealed class SessionLifetime(IOpenIddictAuthorizationManager authorizations, TimeProvider time, SessionSettings settings)
{
    /// <summary>The time left to the session, or null when it is over (expired, ended or unknown).</summary>
    public async Task<TimeSpan?> RemainingAsync(string? authorizationId, CancellationToken ct)
    {
        if (authorizationId is null || await authorizations.FindByIdAsync(authorizationId, ct) is not { } authorization
            || !await authorizations.HasStatusAsync(authorization, Statuses.Valid, ct)
            || await authorizations.GetCreationDateAsync(authorization, ct) is not { } start)
            return null;
        var left = start + settings.Lifetime - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }
}

public sealed record SessionSettings(TimeSpan Lifetime);
