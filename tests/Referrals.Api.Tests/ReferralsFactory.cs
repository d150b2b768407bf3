using Coordination.Contracts.Directory;
using Coordination.DirectoryView;
using Coordination.Testing;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.Referrals.Api.Tests;

/// <summary>A clock the tests move by hand: deadlines are computed with it.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}

/// <summary>
/// Referrals on the real PostgreSQL and RabbitMQ, with organisations made known the way production learns
/// them: Directory contracts published on the bus.
/// </summary>
public class ReferralsFactory() : ServiceFactory<Program>("referrals")
{
    public static readonly Guid IscgPost = Guid.NewGuid();
    public static readonly Guid Association = Guid.NewGuid();
    public static readonly Guid Chrs = Guid.NewGuid();
    public static readonly Guid ThirdOrganisation = Guid.NewGuid();
    public static readonly Guid ClosedPartner = Guid.NewGuid();

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>False: the service keeps its own clock (the demo clock's tests).</summary>
    protected virtual bool UsesTestClock => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The watcher's own loop stays out of the way; tests run its passes explicitly.
        builder.UseSetting("Referrals:Deadlines:CheckEvery", "01:00:00");
        if (UsesTestClock) builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var bus = Services.GetRequiredService<IBus>();
        (Guid Id, string Kind, bool Accepts)[] organisations =
        [
            (IscgPost, OrganisationKinds.IscgPost, true), (Association, OrganisationKinds.VictimSupportAssociation, true),
            (Chrs, OrganisationKinds.Partner, true), (ThirdOrganisation, OrganisationKinds.VictimSupportAssociation, true),
            (ClosedPartner, OrganisationKinds.Partner, false),
        ];
        foreach (var (id, kind, accepts) in organisations)
            await bus.Publish(new OrganisationRegistered(id, kind, kind == OrganisationKinds.Partner ? "chrs" : null, null, ["93"],
                ["famille--surmonter-conflits-separation-violence"], accepts, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
        var store = Services.GetRequiredService<IDocumentStore>();
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<KnownOrganisation>().CountAsync();
        }, count => count == organisations.Length, what: "organisations known to Referrals");
    }
}
