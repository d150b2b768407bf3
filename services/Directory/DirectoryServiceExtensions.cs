using Coordination.Directory.Organisations;
using Coordination.Directory.Organisations.GettingDetails;
using Coordination.Directory.Organisations.Publishing;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events.Projections;

namespace Coordination.Directory;

public static class DirectoryServiceExtensions
{
    public const string SchemaName = "directory";

    public static IHostApplicationBuilder AddDirectory(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore(SchemaName, options =>
            {
                // Stored names stay stable when classes move or are renamed.
                options.Events.MapEventType<OrganisationRegistered>("organisation_registered");
                options.Events.MapEventType<OrganisationDetailsUpdated>("organisation_details_updated");
                options.Events.MapEventType<OrganisationCoverageChanged>("organisation_coverage_changed");
                options.Events.MapEventType<OrganisationReferralCapacityChanged>("organisation_referral_capacity_changed");
                options.Events.MapEventType<OrganisationDeactivated>("organisation_deactivated");

                options.Projections.Add(new OrganisationStateProjection(), ProjectionLifecycle.Live);
                options.Projections.Add(new OrganisationDetailsProjection(), ProjectionLifecycle.Inline);
                options.Schema.For<OrganisationDetails>().GinIndexJsonData();
            })
            .AddSubscriptionWithServices<IntegrationEventPublisher>(ServiceLifetime.Singleton, subscription =>
            {
                subscription.Name = "integration-events";
                subscription.Options.BatchSize = 200;
            });

        builder.Services.AddSingleton<IIntegrationEventMapper, OrganisationContractsMapper>();
        builder.AddMessaging(serviceName: "directory");
        return builder;
    }
}
