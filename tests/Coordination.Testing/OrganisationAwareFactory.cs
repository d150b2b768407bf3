using Coordination.Contracts.Directory;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Coordination.Testing;

/// <summary>
/// A service that learns organisations the way production does, from the Directory's contracts on the real RabbitMQ,
/// with a clock the tests move. Ready once the service knows every organisation the tests name.
/// </summary>
public abstract class OrganisationAwareFactory<TEntryPoint>(string name) : ServiceFactory<TEntryPoint>(name)
    where TEntryPoint : class
{
    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>False: the service keeps its own clock.</summary>
    protected virtual bool UsesTestClock => true;

    /// <summary>The organisations the Directory announces before any test runs.</summary>
    protected abstract IReadOnlyList<OrganisationRegistered> Organisations { get; }

    /// <summary>How many organisations the service knows so far (its own read model of the Directory).</summary>
    protected abstract Task<int> CountKnownOrganisations(IQuerySession session);

    /// <summary>An organisation of the 93 as the Directory announces it.</summary>
    protected static OrganisationRegistered Registered(Guid id, string kind, string need, string? partnerNetwork = null, bool accepts = true) =>
        new(id, kind, kind == OrganisationKinds.Partner ? partnerNetwork : null, null, ["93"], [need], accepts, 1, DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (UsesTestClock) builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var bus = Services.GetRequiredService<IBus>();
        foreach (var organisation in Organisations)
            await bus.Publish(organisation, c => c.MessageId = Guid.NewGuid());
        var store = Services.GetRequiredService<IDocumentStore>();
        await HttpClientExtensions.Eventually(async () =>
        {
            await using var session = store.QuerySession();
            return await CountKnownOrganisations(session);
        }, count => count == Organisations.Count, what: "organisations known to the service under test");
    }
}
