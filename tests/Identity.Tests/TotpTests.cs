using System.Text;
using Coordination.Identity.Accounts.SecondFactor;
using Xunit;

namespace Coordination.Identity.Tests;

/// <summary>The codes authenticator apps show: RFC 6238's test vectors (SHA-1), read on six digits as the apps do.</summary>
public class TotpTests
{
    private static readonly byte[] RfcSecret = Encoding.ASCII.GetBytes("12345678901234567890");

    [Theory]
    [InlineData(59L, "94287082")]
    [InlineData(1111111109L, "07081804")]
    [InlineData(1111111111L, "14050471")]
    [InlineData(1234567890L, "89005924")]
    [InlineData(2000000000L, "69279037")]
    [InlineData(20000000000L, "65353130")]
    public void Codes_match_the_rfc_6238_vectors(long unixSeconds, string eightDigits)
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);

        Assert.Equal(eightDigits[2..], TotpCodes.Compute(RfcSecret, at));
        Assert.Equal(unixSeconds / 30, TotpCodes.Verify(RfcSecret, eightDigits[2..], at, lastUsedStep: -1));
    }

    [Fact]
    public void A_code_is_accepted_one_step_either_side_once_only_and_nothing_else_is()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_015);
        var step = 1_800_000_015L / 30;

        Assert.Equal(step - 1, TotpCodes.Verify(RfcSecret, TotpCodes.Compute(RfcSecret, now.AddSeconds(-30)), now, -1));
        Assert.Equal(step + 1, TotpCodes.Verify(RfcSecret, TotpCodes.Compute(RfcSecret, now.AddSeconds(30)), now, -1));
        Assert.Null(TotpCodes.Verify(RfcSecret, TotpCodes.Compute(RfcSecret, now.AddSeconds(-60)), now, -1));
        Assert.Null(TotpCodes.Verify(RfcSecret, TotpCodes.Compute(RfcSecret, now), now, lastUsedStep: step));
        Assert.Equal(step, TotpCodes.Verify(RfcSecret, " " + TotpCodes.Compute(RfcSecret, now)[..3] + " " + TotpCodes.Compute(RfcSecret, now)[3..], now, -1));
        Assert.Null(TotpCodes.Verify(RfcSecret, "12a456", now, -1));
    }

    [Fact]
    public void Recovery_codes_are_ten_distinct_typed_in_any_case_and_stored_as_hashes()
    {
        var codes = RecoveryCodes.New();

        Assert.Equal(10, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches("^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$", c));
        Assert.Equal(RecoveryCodes.Hash(codes[0]), RecoveryCodes.Hash(codes[0].ToLowerInvariant().Replace("-", " ")));
        Assert.DoesNotContain(RecoveryCodes.Normalise(codes[0]), RecoveryCodes.Hash(codes[0]), StringComparison.OrdinalIgnoreCase);
    }
}
