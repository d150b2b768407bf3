using Coordination.ServiceDefaults.Messaging;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Daemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Weasel.Core;

namespace Coordination.ServiceDefaults.EventSourcing;

public static class EventStoreSetup
{
    public const string ConnectionStringName = "EventStore";

    /// <summary>
    /// The service's Marten event store in its own database and schema: lightweight sessions that
    /// carry correlation id, trace context and user id into event metadata, schema applied on start outside Production
    /// (in Production by <c>--migrate</c> only, <see cref="SchemaMigration"/>),
    /// and the async daemon in HotCold mode so that with several instances exactly one runs each
    /// projection and subscription.
    /// <para>
    /// One <see cref="NpgsqlDataSource"/> per service, in DI: Marten, the service's own SQL and the readiness check draw
    /// on the same pool, so a service has one set of connections to size and to see in <c>pg_stat_activity</c> (its
    /// application name is the schema's). <paramref name="tuneConnections"/> adjusts it (the Dashboard prepares its
    /// views' statements).
    /// </para>
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this IHostApplicationBuilder builder, string schemaName, Action<StoreOptions> configure,
        Action<NpgsqlConnectionStringBuilder>? tuneConnections = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing (ConnectionStrings__{ConnectionStringName}). " +
                "Start the local servers with ./coordination servers start.");
        var connections = new NpgsqlConnectionStringBuilder(connectionString);
        connections.ApplicationName ??= $"coordination-{schemaName}";
        tuneConnections?.Invoke(connections);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connections));

        builder.Services.AddHealthChecks()
            // The one dependency without which the service cannot work: Unhealthy → /health 503 → not ready.
            .AddNpgSql(services => services.GetRequiredService<NpgsqlDataSource>(), name: "postgresql", tags: ["ready"],
                timeout: TimeSpan.FromSeconds(3))
            // Projections and the outbox behind: Degraded at worst (HealthMetrics turns the lags into gauges).
            .AddCheck<AsyncDaemonLagHealthCheck>(Observability.HealthMetrics.AsyncDaemonCheck,
                failureStatus: HealthStatus.Degraded, tags: ["degradable"], timeout: TimeSpan.FromSeconds(5));

        var production = builder.Environment.IsProduction();
        var marten = builder.Services.AddMarten(options =>
            {
                options.DatabaseSchemaName = schemaName;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                // Production never changes the schema at start: `--migrate` (./coordination migrate, the k8s Job) does.
                options.AutoCreateSchemaObjects = production ? AutoCreate.None : AutoCreate.CreateOrUpdate;

                var metadata = options.Events.MetadataConfig;
                metadata.CorrelationIdEnabled = true;
                metadata.CausationIdEnabled = true;
                metadata.HeadersEnabled = true;
                metadata.UserNameEnabled = true;

                options.Schema.For<ProcessedMessage>().DatabaseSchemaName(schemaName);
                options.Schema.For<UnpublishableEvent>().DatabaseSchemaName(schemaName);
                configure(options);
            });
        // SQL in the logs, never its values (personal data): replaces Marten's default logger.
        builder.Services.ConfigureMarten((services, options) => options.Logger(new ValueFreeMartenLogger(
            services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("Marten.IDocumentStore"))));
        // Development and tests create on the fly (a --migrate run applies everything itself and starts nothing).
        marten.UseNpgsqlDataSource();
        if (!production && !SchemaMigration.Requested())
            marten.ApplyAllDatabaseChangesOnStartup();
        return marten.AddAsyncDaemon(DaemonMode.HotCold).BuildSessionsWith<CorrelatedSessionFactory>();
    }

    /// <summary>The subscription that the integration-events replay rewinds (<see cref="IntegrationEventsReplay"/>).</summary>
    public const string IntegrationEventsSubscription = "integration-events";

    /// <summary>
    /// The service's outbox in one call: the <see cref="IntegrationEventPublisher"/> subscription, run by the async
    /// daemon, and the mapper that says which domain events leave the service as which contracts.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression PublishIntegrationEvents<TMapper>(
        this MartenServiceCollectionExtensions.MartenConfigurationExpression marten, int batchSize = 500)
        where TMapper : class, IIntegrationEventMapper
    {
        marten.Services.AddSingleton<IIntegrationEventMapper, TMapper>();
        marten.Services.AddHealthChecks().AddCheck<UnpublishableEventsHealthCheck>(UnpublishableEventsHealthCheck.Name,
            failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, tags: ["degradable"], timeout: TimeSpan.FromSeconds(3));
        return marten.AddSubscriptionWithServices<IntegrationEventPublisher>(ServiceLifetime.Singleton, subscription =>
        {
            subscription.Name = IntegrationEventsSubscription;
            subscription.Options.BatchSize = batchSize;
        });
    }
}
