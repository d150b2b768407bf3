using System.Net;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.Demo;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Referrals.Api.Tests.Handoffs;
using static Coordination.Testing.Specification;

namespace Coordination.Referrals.Api.Tests;

/// <summary>Referrals with the demo clock on, as <c>./coordination up</c> runs it.</summary>
public sealed class DemoClockFactory : ReferralsFactory
{
    protected override bool UsesTestClock => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting(DemoClockSetup.EnabledKey, "true");
    }
}

public class DemoClockTests(DemoClockFactory factory) : IClassFixture<DemoClockFactory>
{
    private readonly Handoffs people = new(factory);

    private Task<HttpResponseMessage> Shift(HttpClient client, string offset) =>
        client.SendJson(HttpMethod.Put, "/api/referrals/admin/demo-clock", new { offset });

    [Fact]
    public async Task The_seeder_hands_a_person_off_forty_days_ago_and_the_watcher_then_finds_it_overdue_and_expired()
    {
        await When(() => Shift(people.Worker(), "-40.00:00:00")).Then(HttpStatusCode.Forbidden);
        await When(() => Shift(people.Admin(), "1.00:00:00")).Then(HttpStatusCode.BadRequest);
        var shifted = await When(() => Shift(people.Admin(), "-40.00:00:00")).Then<DemoClockState>(HttpStatusCode.OK, _ => { });
        Assert.InRange(shifted.Now, DateTimeOffset.UtcNow.AddDays(-40).AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(-40).AddMinutes(5));

        // Tokens stay valid on a shifted clock: the hand-off goes through the same API.
        var (id, _) = await people.Send(ReferralsFactory.Chrs, "standard");
        await When(() => Shift(people.Admin(), "00:00:00")).Then(HttpStatusCode.OK);
        Assert.True(await factory.Services.GetRequiredService<DeadlineWatcher>().CheckOnceAsync(CancellationToken.None) >= 2);

        var seen = await Get(people.Worker(), id);
        Assert.Equal((ReferralStatus.Expired, true), (seen.Status, seen.Overdue));
        Assert.True(seen.SentAt < DateTimeOffset.UtcNow.AddDays(-39));
        Assert.Contains("resending", seen.AllowedActions!);
    }
}
