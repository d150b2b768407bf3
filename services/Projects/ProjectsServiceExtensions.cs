using Coordination.DirectoryView;
using Coordination.Projects.Publishing;
using Coordination.Projects.RaisingOverdueMilestones;
using Coordination.Projects.SupportRequests;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events.Projections;

namespace Coordination.Projects;

public static class ProjectsServiceExtensions
{
    public static IHostApplicationBuilder AddProjects(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore("projects", options =>
            {
                // Registered up front: in Production nothing is created on first use (AutoCreate.None, --migrate creates it).
                options.Schema.For<StoredDocument>();
                options.Events.MapEventType<ProjectCreated>("project_created");
                options.Events.MapEventType<PartnerAdded>("partner_added");
                options.Events.MapEventType<StageChanged>("stage_changed");
                options.Events.MapEventType<FundingLineAdded>("funding_line_added");
                options.Events.MapEventType<FundingDecisionRecorded>("funding_decision_recorded");
                options.Events.MapEventType<MilestoneAdded>("milestone_added");
                options.Events.MapEventType<MilestoneCompleted>("milestone_completed");
                options.Events.MapEventType<MilestoneOverdue>("milestone_overdue");
                options.Events.MapEventType<DocumentAttached>("document_attached");
                options.Events.MapEventType<SupportRequested>("support_requested");
                options.Events.MapEventType<SupportRequestAssigned>("support_request_assigned");
                options.Events.MapEventType<SupportMessagePosted>("support_message_posted");
                options.Events.MapEventType<SupportRequests.SupportRequestClosed>("support_request_closed");
                // Partners are checked against the organisations the Directory's events made known here.
                options.AddDirectoryView();

                // The project's state is also what its queries read: kept inline, in the same transaction.
                options.Projections.Add(new ProjectProjection(), ProjectionLifecycle.Inline);
                options.Projections.Add(new SupportRequestProjection(), ProjectionLifecycle.Inline);
                options.Schema.For<Project>().Duplicate(p => p.LastEventAt);
            })
            .PublishIntegrationEvents<ProjectContractsMapper>();
        builder.Services.Configure<ProjectsOptions>(builder.Configuration.GetSection("Projects"));
        builder.Services.AddSingleton<MilestoneWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MilestoneWatcher>());
        // One message at a time: the Directory's events are few, and the inline KnownOrganisation view must never race.
        builder.AddMessaging(serviceName: "projects", bus => bus.AddConsumer<DirectoryEventsConsumer>(), concurrentMessageLimit: 1);
        return builder;
    }
}
