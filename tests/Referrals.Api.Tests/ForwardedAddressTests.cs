using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;

namespace Coordination.Referrals.Api.Tests;

/// <summary>Referrals behind a gateway at 10.1.2.3 (the only trusted proxy): everyone else connects directly.</summary>
public sealed class BehindGatewayFactory : ReferralsFactory
{
    public const string Gateway = "10.1.2.3";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Gateway);
        builder.ConfigureTestServices(services => TestPeer.ComeFrom(services, IPAddress.Parse("192.0.2.10")));
    }
}

/// <summary>The audit trail records the caller's real address: the one the trusted gateway saw, never one a client made up.</summary>
public class ForwardedAddressTests(BehindGatewayFactory factory) : IClassFixture<BehindGatewayFactory>
{
    private readonly Handoffs people = new(factory);

    [Fact]
    public async Task A_made_up_X_Forwarded_For_from_an_untrusted_peer_is_ignored_and_the_audit_records_the_peer()
    {
        var (id, _) = await people.Send();
        var staff = people.Staff().From("198.51.100.9");
        staff.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66");

        await Get(staff, id);

        var reads = await ReadsBy(id, "aav-bobigny");
        Assert.Equal(["198.51.100.9"], reads);
    }

    [Fact]
    public async Task The_address_the_trusted_gateway_forwards_is_the_one_the_audit_records()
    {
        var (id, _) = await people.Send();
        var staff = people.Staff().From(BehindGatewayFactory.Gateway);
        // What the gateway sends: the client's address it saw, appended after whatever the client claimed.
        staff.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.66, 203.0.113.77");
        staff.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        await Get(staff, id);

        // One hop is believed: the right-most address, the one the gateway itself saw; the client's claim to its left is not.
        var reads = await ReadsBy(id, "aav-bobigny");
        Assert.Equal(["203.0.113.77"], reads);
    }

    private async Task<List<string?>> ReadsBy(Guid id, string userId)
    {
        var audit = await (await (await factory.CreateClient().As(TestTokens.For(Roles.Admin)).GetAsync($"{Route}/{id}/audit"))
            .HasStatus(HttpStatusCode.OK)).ReadJson<AuditEntry[]>();
        return [.. audit.Where(a => a.Action == "read:details" && a.UserId == userId).Select(a => a.FromAddress)];
    }

    /// <summary>One line of a referral's audit trail: who did what, from which address.</summary>
    private sealed record AuditEntry(string Action, string UserId, string? FromAddress);
}
