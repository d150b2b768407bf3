using System.Diagnostics;
using Coordination.Contracts;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Observability;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>
/// Maps a service's domain events to integration contracts. Domain events stay private to the service;
/// only what a contract exposes (ids, codes, dates, counts) leaves it.
/// </summary>
public interface IIntegrationEventMapper
{
    /// <summary>The domain event types that have a contract.</summary>
    IReadOnlyCollection<Type> PublishedEventTypes { get; }

    /// <summary>
    /// The contracts for a page of stored events (events without a contract are left out). The operations
    /// let a mapper read the service's own documents, e.g. to repeat a referral's organisations on every contract.
    /// </summary>
    Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct);
}

/// <summary>
/// The outbox of every service: a Marten subscription, run by the async daemon on one instance (HotCold),
/// reads committed events in order and publishes their contracts to RabbitMQ. The daemon records its
/// progress only after a page is published, so a crash replays the page: delivery is at least once, and
/// the message id is the Marten event id so that consumers drop duplicates.
/// </summary>
public sealed partial class IntegrationEventPublisher : SubscriptionBase
{
    private static readonly ActivitySource Source = new(OpenTelemetrySetup.ActivitySourceName);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private static readonly System.Diagnostics.Metrics.Meter Meter = new(Observability.HealthMetrics.MeterName);
    private static readonly System.Diagnostics.Metrics.Counter<long> Unpublishable = Meter.CreateCounter<long>(
        "coordination.outbox.unpublishable", unit: "{event}", description: "Events set aside because their contract could not be built");

    private readonly IBus bus;
    private readonly IIntegrationEventMapper mapper;
    private readonly TimeProvider time;
    private readonly ILogger<IntegrationEventPublisher> logger;

    public IntegrationEventPublisher(IBus bus, IIntegrationEventMapper mapper, TimeProvider time, ILogger<IntegrationEventPublisher> logger)
    {
        this.bus = bus;
        this.mapper = mapper;
        this.time = time;
        this.logger = logger;
        foreach (var type in mapper.PublishedEventTypes)
            IncludeType(type);
    }

    public override async Task<IChangeListener> ProcessEventsAsync(
        EventRange page, ISubscriptionController controller, IDocumentOperations operations, CancellationToken cancellationToken)
    {
        var messages = await MapOrSetAsideAsync(page.Events, operations, cancellationToken);

        // Keep trying while the broker is away: the events wait safely in PostgreSQL meanwhile,
        // and the API keeps accepting commands. Only shutdown (cancellation) stops the loop.
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await Task.WhenAll(messages.Select(m => Publish(m.Stored, m.Contract, cancellationToken)));
                return NullChangeListener.Instance;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogPublishFailed(logger, messages.Count, backoff.TotalMilliseconds, exception);
                await Task.Delay(backoff, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// The page's contracts. When the page cannot be mapped (and the database is not simply away), each event is mapped
    /// on its own and those that still fail are recorded as <see cref="UnpublishableEvent"/> in the subscription's own
    /// transaction, so that one bad event neither stalls the outbox nor is lost silently.
    /// </summary>
    private async Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapOrSetAsideAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct)
    {
        try
        {
            return await mapper.MapAsync(page, operations, ct);
        }
        catch (Exception exception) when (!EventSourcing.TransientFailures.IsTransient(exception) && !ct.IsCancellationRequested)
        {
            var messages = new List<(IEvent Stored, IIntegrationEvent Contract)>();
            foreach (var stored in page)
            {
                try
                {
                    messages.AddRange(await mapper.MapAsync([stored], operations, ct));
                }
                catch (Exception failure) when (!EventSourcing.TransientFailures.IsTransient(failure) && !ct.IsCancellationRequested)
                {
                    var eventType = stored.EventTypeName;
                    operations.Store(new UnpublishableEvent(stored.Id, stored.Sequence, eventType,
                        stored.StreamKey ?? stored.StreamId.ToString(), stored.Version, failure.GetType().Name, time.GetUtcNow()));
                    Unpublishable.Add(1, new KeyValuePair<string, object?>("event_type", eventType));
                    LogSetAside(logger, eventType, stored.Sequence, failure.GetType().Name);
                }
            }
            return messages;
        }
    }

    private async Task Publish(IEvent stored, IIntegrationEvent contract, CancellationToken ct)
    {
        var parent = stored.Headers?.TryGetValue(CorrelatedSessionFactory.TraceParentHeader, out var traceParent) == true
                     && ActivityContext.TryParse(traceParent?.ToString(), null, out var context)
            ? context
            : default;
        using var activity = Source.StartActivity($"publish {contract.GetType().Name}", ActivityKind.Producer, parent);
        activity?.SetTag("coordination.event_sequence", stored.Sequence);

        await bus.Publish(contract, contract.GetType(), publish =>
        {
            publish.MessageId = stored.Id;
            if (CorrelationIds.IsWellFormed(stored.CorrelationId))
                publish.Headers.Set(CorrelationIds.HeaderName, stored.CorrelationId);
        }, ct);
    }

    // The exception's type only: its message could quote the event's data.
    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventType} #{Sequence} could not be mapped to a contract ({Failure}): set aside as unpublishable, the outbox goes on")]
    private static partial void LogSetAside(ILogger logger, string eventType, long sequence, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} integration events failed; retrying in {DelayMs} ms")]
    private static partial void LogPublishFailed(ILogger logger, int count, double delayMs, Exception exception);
}
