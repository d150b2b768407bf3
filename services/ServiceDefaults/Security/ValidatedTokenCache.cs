using System.Security.Claims;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordination.ServiceDefaults.Security;

/// <summary>
/// The bearer-token handler of every process: a token is validated in full (signature, issuer, audience, type,
/// lifetime) the first time this process sees it; the same bytes presented again before it expires are recognised
/// without checking the signature again. A client sends one token for up to five minutes, and the signature check
/// and the claims it builds were about a third of the gateway's CPU per proxied request (issue #22, item 2,
/// docs/benchmarks/README.md "Gateway hop").
/// </summary>
/// <remarks>
/// What cannot change: a token never seen, or changed by one character, is validated from scratch (the key is the
/// whole token); a refused token is never remembered; a remembered one is valid until its expiry plus the clock skew,
/// as its full validation would say, and never for longer than <see cref="MaxAge"/> (a signing key withdrawn from
/// the issuer's keys stops counting within that time). Each request gets its own copy of the identity.
/// </remarks>
public sealed class ValidatedTokenCache : JsonWebTokenHandler, IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Distinct tokens remembered at once (a few kilobytes each: 15 MB at most). Beyond, the cache makes room, and a
    /// token it does not hold is validated in full.
    /// </summary>
    public const int Capacity = 5_000;

    private readonly TimeProvider time;
    private readonly MemoryCache validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    private sealed record Validated(ClaimsIdentity Identity, JsonWebToken Token, DateTimeOffset ValidUntil);

    public ValidatedTokenCache(TimeProvider time)
    {
        this.time = time;
        MapInboundClaims = false;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow();
        if (validated.TryGetValue(token, out Validated? known) && known is not null && now < known.ValidUntil)
            return new TokenValidationResult
            {
                IsValid = true,
                ClaimsIdentity = known.Identity.Clone(),
                SecurityToken = known.Token,
                Issuer = known.Token.Issuer,
                TokenType = known.Token.Typ,
            };

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, SecurityToken: JsonWebToken jwt, ClaimsIdentity: { } identity } && jwt.ValidTo != DateTime.MinValue)
        {
            var expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + validationParameters.ClockSkew;
            var validUntil = expiresAt < now + MaxAge ? expiresAt : now + MaxAge;
            if (validUntil > now)
                validated.Set(token, new Validated(identity.Clone(), jwt, validUntil),
                    new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = validUntil - now });
        }
        return result;
    }

    public void Dispose() => validated.Dispose();
}
