using System.Security.Claims;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Coordination.Gateway.Tests;

/// <summary>
/// A token is validated in full once per process and then recognised until it expires: what the cache may never do is
/// accept a token its full validation would refuse. The lifetime is read from a clock the test moves.
/// </summary>
public sealed class ValidatedTokenCacheTests(DefaultGateway gateway) : IClassFixture<DefaultGateway>
{
    private readonly TestClock clock = new(DateTimeOffset.UtcNow);
    private int fullLifetimeChecks;

    private TokenValidationParameters Parameters() => new()
    {
        ValidIssuer = TestTokens.Issuer,
        ValidAudience = TestTokens.Audience,
        IssuerSigningKey = TestTokens.Key,
        ValidTypes = [AuthenticationSetup.AccessTokenType],
        ClockSkew = TimeSpan.FromSeconds(30),
        // The full validation's lifetime check, on the test's clock; counted, to see when a token is validated again.
        LifetimeValidator = (notBefore, expires, _, p) =>
        {
            Interlocked.Increment(ref fullLifetimeChecks);
            var now = clock.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore <= now + p.ClockSkew) && expires is not null && now < expires + p.ClockSkew;
        },
    };

    [Fact]
    public void The_gateway_and_every_service_validate_bearer_tokens_through_the_cache()
    {
        var options = gateway.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);

        Assert.IsType<ValidatedTokenCache>(Assert.Single(options.TokenHandlers));
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_has_expired()
    {
        using var handler = new ValidatedTokenCache(clock);
        var token = TestTokens.For(Roles.AssociationStaff, validFor: TimeSpan.FromMinutes(4));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        clock.Advance(TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(31));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
    }

    [Fact]
    public async Task A_token_changed_by_one_character_after_the_original_was_accepted_is_refused()
    {
        using var handler = new ValidatedTokenCache(clock);
        var token = TestTokens.For(Roles.IscgWorker);
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);

        // The payload (second part) with its last character changed: another role or subject, the same signature.
        var payloadEnd = token.LastIndexOf('.') - 1;
        var forged = token[..payloadEnd] + (token[payloadEnd] == 'A' ? 'B' : 'A') + token[(payloadEnd + 1)..];

        Assert.False((await handler.ValidateTokenAsync(forged, Parameters())).IsValid);
    }

    [Fact]
    public async Task A_token_is_validated_in_full_once_then_again_after_five_minutes_even_if_it_lives_longer()
    {
        using var handler = new ValidatedTokenCache(clock);
        // Another provider's token may live an hour; what the cache remembers never outlives five minutes.
        var token = TestTokens.For(Roles.NationalCoordinator, validFor: TimeSpan.FromHours(1));

        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(1, fullLifetimeChecks);

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(2, fullLifetimeChecks);
    }

    [Fact]
    public async Task A_refused_token_is_not_remembered()
    {
        using var handler = new ValidatedTokenCache(clock);
        var notYetValid = TestTokens.For(Roles.Admin, notBefore: clock.GetUtcNow().UtcDateTime.AddMinutes(2), validFor: TimeSpan.FromMinutes(4));

        Assert.False((await handler.ValidateTokenAsync(notYetValid, Parameters())).IsValid);
        clock.Advance(TimeSpan.FromMinutes(3));

        Assert.True((await handler.ValidateTokenAsync(notYetValid, Parameters())).IsValid);
        Assert.Equal(2, fullLifetimeChecks);
    }

    [Fact]
    public async Task Each_request_gets_its_own_copy_of_the_identity()
    {
        using var handler = new ValidatedTokenCache(clock);
        var token = TestTokens.For(Roles.AssociationStaff);
        // The first request validates in full; the next two are answered from what was remembered.
        (await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity.AddClaim(new Claim(CoordinationClaims.Role, Roles.Admin));
        (await handler.ValidateTokenAsync(token, Parameters())).ClaimsIdentity.AddClaim(new Claim(CoordinationClaims.Role, Roles.Admin));

        var third = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(third.IsValid);
        Assert.Equal(1, fullLifetimeChecks);
        Assert.DoesNotContain(third.ClaimsIdentity.Claims, c => c.Type == CoordinationClaims.Role && c.Value == Roles.Admin);
        Assert.Contains(third.ClaimsIdentity.Claims, c => c.Type == CoordinationClaims.Role && c.Value == Roles.AssociationStaff);
    }
}
