using System.Globalization;
using System.Security.Cryptography;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>A provider whose only key is 100 days old, with rotation every 90 days.</summary>
public sealed class RotatingIdentityFactory : IdentityFactory
{
    public string OldKeyId { get; }

    public RotatingIdentityFactory()
    {
        Directory.CreateDirectory(KeysDirectory);
        using var rsa = RSA.Create(2048);
        var created = DateTimeOffset.UtcNow.AddDays(-100).ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(KeysDirectory, $"signing-{created}.pem"), rsa.ExportPkcs8PrivateKeyPem());
        OldKeyId = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(new Microsoft.IdentityModel.Tokens.RsaSecurityKey(rsa).ComputeJwkThumbprint());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Identity:RotateSigningKeyEvery", "90.00:00:00");
    }
}

public class KeyRotationTests(RotatingIdentityFactory factory) : IClassFixture<RotatingIdentityFactory>
{
    [Fact]
    public async Task An_old_key_is_replaced_for_signing_but_still_published_for_tokens_it_signed()
    {
        var jwks = await (await factory.CreateClient().GetAsync("/.well-known/jwks")).ReadJson<PublishedKeys>();
        var kids = jwks.Keys.Select(k => k.Kid).ToList();
        var token = await (await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "camille", ["password"] = IdentityFactory.Password,
        }))).ReadJson<TokenAnswer>();
        var signedWith = new JsonWebToken(token.AccessToken).Kid;

        Assert.Equal(2, kids.Count);
        Assert.Contains(factory.OldKeyId, kids);
        Assert.NotEqual(factory.OldKeyId, signedWith);
        Assert.Contains(signedWith, kids);
        Assert.Equal(2, Directory.GetFiles(factory.KeysDirectory, "signing-*.pem").Length);
    }

    /// <summary>The key set the provider publishes (RFC 7517): each key's id.</summary>
    private sealed record PublishedKeys(IReadOnlyList<PublishedKeys.Key> Keys)
    {
        public sealed record Key(string Kid);
    }
}
