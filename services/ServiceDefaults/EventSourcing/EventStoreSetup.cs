using Coordination.ServiceDefaults.Messaging;
using JasperFx;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events.Daemon;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Weasel.Core;

namespace Coordination.ServiceDefaults.EventSourcing;

public static class EventStoreSetup
{
    public const string ConnectionStringName = "EventStore";

    /// <summary>
    /// The service's Marten event store in its own database and schema: lightweight sessions that
    /// carry correlation id, trace context and user id into event metadata, schema applied on start,
    /// and the async daemon in HotCold mode so that with several instances exactly one runs each
    /// projection and subscription.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this IHostApplicationBuilder builder, string schemaName, Action<StoreOptions> configure)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionStringName}' is missing (ConnectionStrings__{ConnectionStringName}). " +
                "Start the local servers with ./coordination servers start.");

        builder.Services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "postgresql", tags: ["ready"], timeout: TimeSpan.FromSeconds(3))
            .AddMartenAsyncDaemonHealthCheck(maxEventLag: 500, maxSameLagTime: TimeSpan.FromSeconds(30));

        return builder.Services.AddMarten(options =>
            {
                options.Connection(connectionString);
                options.DatabaseSchemaName = schemaName;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;

                var metadata = options.Events.MetadataConfig;
                metadata.CorrelationIdEnabled = true;
                metadata.CausationIdEnabled = true;
                metadata.HeadersEnabled = true;
                metadata.UserNameEnabled = true;

                options.Schema.For<ProcessedMessage>().DatabaseSchemaName(schemaName);
                configure(options);
            })
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .BuildSessionsWith<CorrelatedSessionFactory>();
    }
}
