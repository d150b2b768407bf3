using Coordination.Contracts.Directory;
using Coordination.DirectoryView;
using Coordination.Testing;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.Training.Api.Tests;

public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}

/// <summary>Training on the real PostgreSQL and RabbitMQ, with a clock the tests move and organisations known through the bus.</summary>
public sealed class TrainingFactory() : ServiceFactory<Program>("training")
{
    public static readonly Guid IscgPost = Guid.NewGuid();
    public static readonly Guid Association = Guid.NewGuid();
    public static readonly Guid Partner = Guid.NewGuid();

    /// <summary>An ISCG post that takes part in nothing the tests record.</summary>
    public static readonly Guid OtherIscgPost = Guid.NewGuid();

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var bus = Services.GetRequiredService<IBus>();
        foreach (var (id, kind) in new[] { (IscgPost, OrganisationKinds.IscgPost), (Association, OrganisationKinds.VictimSupportAssociation), (Partner, OrganisationKinds.Partner) })
            await bus.Publish(new OrganisationRegistered(id, kind, kind == OrganisationKinds.Partner ? "ccas-cias" : null, null, ["93"],
                ["sante--sante-mentale"], true, 1, DateTimeOffset.UtcNow), c => c.MessageId = Guid.NewGuid());
        var store = Services.GetRequiredService<IDocumentStore>();
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = store.QuerySession();
            return await session.Query<KnownOrganisation>().CountAsync();
        }, n => n == 3, what: "organisations known to Training");
    }
}
