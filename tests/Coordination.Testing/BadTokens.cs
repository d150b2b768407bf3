using System.Net;
using System.Text;
using Coordination.ServiceDefaults.Security;

namespace Coordination.Testing;

/// <summary>The eight ways a token must be refused (401), wherever it is presented.</summary>
public static class BadTokens
{
    public static IReadOnlyList<(string Why, string? Token)> All() =>
    [
        ("none", null),
        ("expired", TestTokens.Expired(Roles.Admin)),
        ("not yet valid", TestTokens.For(Roles.Admin, notBefore: DateTime.UtcNow.AddMinutes(10), validFor: TimeSpan.FromMinutes(20))),
        ("wrong issuer", TestTokens.For(Roles.Admin, issuer: "https://impostor.example")),
        ("wrong audience", TestTokens.For(Roles.Admin, audience: "another-api")),
        ("bad signature", TestTokens.SignedByAnotherKey(Roles.Admin)),
        ("alg none", Unsigned()),
        ("not an access token (typ JWT, e.g. an identity token)", TestTokens.For(Roles.Admin, tokenType: "JWT")),
    ];

    /// <summary>
    /// Asserts that <paramref name="path"/> refuses every bad token with a 401 problem (RFC 7807); each client comes
    /// from <paramref name="anonymousClient"/>, without a token of its own.
    /// </summary>
    public static async Task AreRefusedWith401Problems(Func<HttpClient> anonymousClient, string path)
    {
        foreach (var (why, token) in All())
        {
            var client = anonymousClient();
            if (token is not null) client.As(token);

            var response = await client.GetAsync(path);

            Xunit.Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)response.StatusCode}");
            Xunit.Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static string Unsigned()
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return $"{B64("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{B64($"{{\"sub\":\"x\",\"role\":\"admin\",\"iss\":\"{TestTokens.Issuer}\",\"aud\":\"{TestTokens.Audience}\",\"exp\":{exp}}}")}.";
    }
}
