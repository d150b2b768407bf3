using Coordination.ServiceDefaults.EventSourcing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Coordination.ServiceDefaults.Messaging;

public static class MessagingSetup
{
    public const string ConnectionStringName = "RabbitMq";

    /// <summary>
    /// MassTransit on RabbitMQ: kebab-case queues prefixed by the service name, quorum queues,
    /// publisher confirms (MassTransit's default), retries with exponential backoff; a message that
    /// still fails lands in <c>&lt;queue&gt;_error</c>, which <c>/health</c> reports. A database outage is
    /// retried for minutes instead (<see cref="TransientFailures"/>).
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? configureConsumers = null,
        int? concurrentMessageLimit = null)
    {
        var amqp = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing (ConnectionStrings__{ConnectionStringName}, an amqp:// URI). " +
                "Start the local servers with ./coordination servers start.");

        var receiveEndpoints = new ReceiveEndpointNames();
        builder.Services.AddSingleton(receiveEndpoints);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configureConsumers?.Invoke(bus);
            // The broker is not a readiness dependency: while it is down commands are still accepted (the outbox waits
            // in PostgreSQL), so the bus check reports Degraded at worst, never Unhealthy.
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = Observability.HealthMetrics.BrokerCheck;
                health.MinimalFailureStatus = HealthStatus.Degraded;
                health.Tags.Clear();
                health.Tags.Add("degradable");
            });
            bus.AddConfigureEndpointsCallback((name, endpoint) =>
            {
                receiveEndpoints.Add(name);
                if (concurrentMessageLimit is { } limit)
                    endpoint.ConcurrentMessageLimit = limit;
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                    // As many unacknowledged messages as may be in hand: a batching consumer sees them all at once.
                    if (concurrentMessageLimit is { } inHand)
                        rabbit.PrefetchCount = Math.Max(rabbit.PrefetchCount, inHand);
                }
            });

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(new Uri(amqp));
                // Outer policy: an outage of the database (not the message's fault) is waited out for minutes,
                // one message in hand, instead of sending every message consumed meanwhile to the error queue.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Interval(TransientFailures.RetryLimit, TransientFailures.RetryInterval);
                    retry.Handle<Exception>(TransientFailures.IsTransient);
                });
                // Inner policy: anything else is retried a few times, then goes to <queue>_error.
                rabbit.UseMessageRetry(retry =>
                {
                    retry.Exponential(retryLimit: 5, minInterval: TimeSpan.FromMilliseconds(200),
                        maxInterval: TimeSpan.FromSeconds(10), intervalDelta: TimeSpan.FromMilliseconds(300));
                    retry.Ignore<PoisonMessage>();
                    retry.Ignore<Exception>(TransientFailures.IsTransient);
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        // Start serving only once the queues are declared and bound: a message published before its
        // consumer's binding exists would be dropped by the exchange.
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(15);
        });

        // Every service that consumes keeps its inbox in its event store; the purge keeps that table to the redelivery window.
        builder.Services.AddOptions<ProcessedMessageRetention>().Bind(builder.Configuration.GetSection(ProcessedMessageRetention.Section));
        builder.Services.AddHostedService<ProcessedMessagePurge>();

        builder.Services.AddSingleton(sp => new ErrorQueueRequeue(
            new Uri(amqp), sp.GetRequiredService<ReceiveEndpointNames>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ErrorQueueRequeue>>()));
        builder.Services.AddSingleton(sp => new ErrorQueueHealthCheck(
            new Uri(amqp), sp.GetRequiredService<ReceiveEndpointNames>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddHealthChecks()
            .Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
                "error-queues",
                sp => sp.GetRequiredService<ErrorQueueHealthCheck>(),
                failureStatus: HealthStatus.Degraded, tags: ["degradable"]));
        return builder;
    }
}

/// <summary>The queues this process consumes from, collected while MassTransit configures them.</summary>
public sealed class ReceiveEndpointNames
{
    private readonly HashSet<string> names = [];

    public void Add(string name)
    {
        lock (names) names.Add(name);
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (names) return [.. names];
    }
}
