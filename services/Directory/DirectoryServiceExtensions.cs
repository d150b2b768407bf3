using Coordination.Directory.Aids;
using Coordination.Directory.Aids.GettingDetails;
using Coordination.Directory.Aids.Referents;
using Coordination.Directory.Organisations;
using Coordination.Directory.Organisations.GettingDetails;
using Coordination.Directory.Publishing;
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

                options.Events.MapEventType<AidProposed>("aid_proposed");
                options.Events.MapEventType<AidPublished>("aid_published");
                options.Events.MapEventType<AidProposalRejected>("aid_proposal_rejected");
                options.Events.MapEventType<AidVerified>("aid_verified");
                options.Events.MapEventType<AidCorrectionProposed>("aid_correction_proposed");
                options.Events.MapEventType<AidCorrectionAccepted>("aid_correction_accepted");
                options.Events.MapEventType<AidCorrectionRejected>("aid_correction_rejected");
                options.Events.MapEventType<AidEdited>("aid_edited");
                options.Events.MapEventType<AidWithdrawn>("aid_withdrawn");
                options.Events.MapEventType<AidReferentsDesignated>("aid_referents_designated");
                options.Projections.Add(new AidStateProjection(), ProjectionLifecycle.Live);
                options.Projections.Add(new AidDetailsProjection(), ProjectionLifecycle.Inline);
                options.Projections.Add(new DepartementAidReferentsProjection(), ProjectionLifecycle.Inline);
            })
            .PublishIntegrationEvents<DirectoryContractsMapper>(batchSize: 200);

        builder.AddMessaging(serviceName: "directory");
        return builder;
    }
}
