using System.Security.Claims;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>
/// A provider whose keys come from certificates in the middle of a rollover: the old signing certificate expires in a
/// month, its successor became valid yesterday, the next one is valid only in ten days, and one expired yesterday.
/// </summary>
public sealed class CertificateRolloverFactory : IdentityFactory
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public string Old { get; } = TestCertificates.Create("signing-old", Now.AddDays(-300), Now.AddDays(30));
    public string Current { get; } = TestCertificates.Create("signing-current", Now.AddDays(-1), Now.AddDays(400));
    public string Upcoming { get; } = TestCertificates.Create("signing-upcoming", Now.AddDays(10), Now.AddDays(800));
    public string Expired { get; } = TestCertificates.Create("signing-expired", Now.AddDays(-400), Now.AddDays(-1));
    public string OldEncryption { get; } = TestCertificates.Create("encryption-old", Now.AddDays(-300), Now.AddDays(30));
    public string CurrentEncryption { get; } = TestCertificates.Create("encryption-current", Now.AddDays(-1), Now.AddDays(400));

    /// <summary>As a Kubernetes Secret mounts them: the newer certificates as files of one folder.</summary>
    public string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"coordination-certificates-{Guid.NewGuid():N}")).FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The older ones listed one by one, the newer ones in the folder: both sources count.
        File.Copy(Current, Path.Combine(Folder, "signing-20261201.pfx"), overwrite: true);
        File.Copy(Upcoming, Path.Combine(Folder, "signing-20261215.pfx"), overwrite: true);
        File.Copy(CurrentEncryption, Path.Combine(Folder, "encryption-20261201.pfx"), overwrite: true);
        builder.UseSetting("Identity:CertificatesDirectory", Folder);
        builder.UseSetting("Identity:CertificatesPassword", TestCertificates.Password);
        string[] signing = [Old, Expired], encryption = [OldEncryption];
        foreach (var (list, paths) in new[] { ("SigningCertificates", signing), ("EncryptionCertificates", encryption) })
            for (var i = 0; i < paths.Length; i++)
            {
                builder.UseSetting($"Identity:{list}:{i}:Path", paths[i]);
                builder.UseSetting($"Identity:{list}:{i}:Password", TestCertificates.Password);
            }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var path in new[] { Old, Current, Upcoming, Expired, OldEncryption, CurrentEncryption })
            File.Delete(path);
        Directory.Delete(Folder, recursive: true);
    }
}

public class CertificateRolloverTests(CertificateRolloverFactory factory) : IClassFixture<CertificateRolloverFactory>
{
    private async Task<JsonWebKeySet> Jwks() =>
        new(await (await factory.CreateClient().GetAsync("/.well-known/jwks")).Content.ReadAsStringAsync());

    private async Task<TokenAnswer> PasswordGrant(string scope = "") =>
        await (await (await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "camille", ["password"] = IdentityFactory.Password, ["scope"] = scope,
        }))).HasStatus(System.Net.HttpStatusCode.OK)).ReadJson<TokenAnswer>();

    [Fact]
    public async Task The_newest_valid_certificate_signs_the_older_one_and_the_next_one_are_published_and_the_expired_one_is_gone()
    {
        var kids = (await Jwks()).Keys.Select(k => k.Kid).ToList();
        var token = await PasswordGrant();

        Assert.Equal(TestCertificates.KeyId(factory.Current), new JsonWebToken(token.AccessToken).Kid);
        Assert.Equal(
            new[] { factory.Current, factory.Old, factory.Upcoming }.Select(TestCertificates.KeyId).Order(),
            kids.Order());
        Assert.DoesNotContain(TestCertificates.KeyId(factory.Expired), kids);
    }

    [Fact]
    public async Task A_token_the_older_certificate_signed_before_the_rollover_still_validates_with_the_published_keys()
    {
        using var old = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(factory.Old, TestCertificates.Password);
        var signedBefore = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentityFactory.Issuer, Audience = "coordination-api", Subject = new ClaimsIdentity([new Claim("sub", "user-camille")]),
            Expires = DateTime.UtcNow.AddMinutes(5), SigningCredentials = new X509SigningCredentials(old),
        });
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = IdentityFactory.Issuer, ValidAudience = "coordination-api", IssuerSigningKeys = (await Jwks()).GetSigningKeys(),
        };

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(signedBefore, parameters);
        var expired = await new JsonWebTokenHandler().ValidateTokenAsync(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = IdentityFactory.Issuer, Audience = "coordination-api", Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new X509SigningCredentials(System.Security.Cryptography.X509Certificates.X509CertificateLoader
                .LoadPkcs12FromFile(factory.Expired, TestCertificates.Password)),
        }), parameters);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.False(expired.IsValid); // a retired certificate's signature is worth nothing any more
    }

    [Fact]
    public async Task Refresh_tokens_encrypted_with_the_encryption_certificate_are_redeemed()
    {
        var first = await PasswordGrant("offline_access");
        var refreshed = await factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = first.RefreshToken!,
        }));

        Assert.True((await refreshed.HasStatus(System.Net.HttpStatusCode.OK)).IsSuccessStatusCode);
    }
}
