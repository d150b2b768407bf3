using Coordination.Directory.Organisations;
using Coordination.Directory.Organisations.GettingDetails;
using Coordination.Directory.Organisations.Publishing;
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
            .PublishIntegrationEvents<OrganisationContractsMapper>(batchSize: 200);

        builder.AddMessaging(serviceName: "directory");
        return builder;
    }
}
