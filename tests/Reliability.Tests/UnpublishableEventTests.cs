using System.Collections.Concurrent;
using Coordination.Contracts;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Testing;
using JasperFx.Events;
using Marten;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Coordination.Reliability.Tests;

/// <summary>
/// One committed event whose contract cannot be built must neither stall a service's outbox (every later event waiting
/// behind it forever) nor vanish: it is set aside, counted in <c>/health</c>, and the events around it are published.
/// Run on the platform's own outbox machinery (ServiceDefaults), a real PostgreSQL and a real RabbitMQ.
/// </summary>
public sealed class UnpublishableEventTests
{
    public sealed record SomethingHappened(string Label);

    public sealed record SomethingPublished(Guid SourceStreamId, long SourceVersion, DateTimeOffset OccurredAt, string Label) : IIntegrationEvent;

    /// <summary>Fails on the events labelled "unmappable", as a mapper whose document or code cannot handle one.</summary>
    public sealed class LabelMapper : IIntegrationEventMapper
    {
        public IReadOnlyCollection<Type> PublishedEventTypes { get; } = [typeof(SomethingHappened)];

        public Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
            IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<(IEvent, IIntegrationEvent)>>([.. page.Select(e => (e, (IIntegrationEvent)(e.Data is SomethingHappened { Label: "unmappable" }
                ? throw new InvalidOperationException("no contract for this one")
                : new SomethingPublished(e.StreamId, e.Version, e.Timestamp, ((SomethingHappened)e.Data).Label))))]);
    }

    public sealed class Received : IConsumer<SomethingPublished>
    {
        public static readonly ConcurrentDictionary<string, int> Labels = new();

        public Task Consume(ConsumeContext<SomethingPublished> context)
        {
            Labels.AddOrUpdate(context.Message.Label, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task An_event_that_cannot_be_mapped_is_set_aside_and_reported_while_the_others_are_published()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync("unpublishable");
        var amqp = await TestInfrastructure.CreateVirtualHostAsync("unpublishable");
        var run = Guid.NewGuid().ToString("N")[..8];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:EventStore"] = database,
            ["ConnectionStrings:RabbitMq"] = amqp.ToString(),
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddEventStore("outbox_test", options => options.Events.AddEventType<SomethingHappened>())
            .PublishIntegrationEvents<LabelMapper>();
        builder.AddMessaging("outbox-test", bus => bus.AddConsumer<Received>());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var store = host.Services.GetRequiredService<IDocumentStore>();
            await using (var session = store.LightweightSession())
            {
                // Given three hand-offs' worth of events committed together, the middle one impossible to map...
                session.Events.StartStream(Guid.NewGuid(), new SomethingHappened($"before-{run}"));
                session.Events.StartStream(Guid.NewGuid(), new SomethingHappened("unmappable"));
                session.Events.StartStream(Guid.NewGuid(), new SomethingHappened($"after-{run}"));
                await session.SaveChangesAsync();
            }

            // ...the two others reach their consumer, once each...
            await FaultPlatform.Eventually(() => Task.FromResult(Received.Labels.ContainsKey($"before-{run}") && Received.Labels.ContainsKey($"after-{run}")),
                TimeSpan.FromSeconds(30), "the mappable events published");
            // ...the bad one is recorded, with no data of the event, and /health says Degraded with the count...
            await using (var query = store.QuerySession())
            {
                var setAside = Assert.Single(await query.Query<UnpublishableEvent>().ToListAsync());
                Assert.Equal("something_happened", setAside.EventType); // Marten's name for the type
                Assert.Equal(nameof(InvalidOperationException), setAside.Failure);
                Assert.Equal(1, setAside.StreamVersion); // the first event of its stream
                Assert.DoesNotContain("unmappable", System.Text.Json.JsonSerializer.Serialize(setAside));
            }
            var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == UnpublishableEventsHealthCheck.Name);
            Assert.Equal(HealthStatus.Degraded, health.Status);
            Assert.Equal(1, health.Entries[UnpublishableEventsHealthCheck.Name].Data["events"]);

            // ...and the outbox is not stalled: a later event is published too.
            await using (var session = store.LightweightSession())
            {
                session.Events.StartStream(Guid.NewGuid(), new SomethingHappened($"later-{run}"));
                await session.SaveChangesAsync();
            }
            await FaultPlatform.Eventually(() => Task.FromResult(Received.Labels.ContainsKey($"later-{run}")), TimeSpan.FromSeconds(30), "a later event published");
            Assert.All([$"before-{run}", $"after-{run}", $"later-{run}"], label => Assert.Equal(1, Received.Labels[label]));
        }
        finally
        {
            await host.StopAsync();
            await TestInfrastructure.DropDatabaseAsync(database);
            await TestInfrastructure.DeleteVirtualHostAsync(amqp);
        }
    }
}
