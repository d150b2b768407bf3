using Coordination.DirectoryView;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Training.Interventions;
using Coordination.Training.Modules;
using Coordination.Training.Publishing;
using Coordination.Training.Sessions;
using Coordination.Training.Sessions.GettingDetails;
using JasperFx.Events.Projections;

namespace Coordination.Training;

public static class TrainingServiceExtensions
{
    public static IHostApplicationBuilder AddTraining(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore("training", options =>
            {
                options.Events.MapEventType<ModulePublished>("module_published");
                options.Events.MapEventType<ModuleRevised>("module_revised");
                options.Events.MapEventType<ModuleRetired>("module_retired");
                options.Events.MapEventType<SessionScheduled>("session_scheduled");
                options.Events.MapEventType<RegistrationOpened>("registration_opened");
                options.Events.MapEventType<ParticipantRegistered>("participant_registered");
                options.Events.MapEventType<ParticipantWaitlisted>("participant_waitlisted");
                options.Events.MapEventType<RegistrationCancelled>("registration_cancelled");
                options.Events.MapEventType<WaitlistedParticipantPromoted>("waitlisted_participant_promoted");
                options.Events.MapEventType<AttendanceRecorded>("attendance_recorded");
                options.Events.MapEventType<EvaluationSubmitted>("evaluation_submitted");
                options.Events.MapEventType<SessionClosed>("session_closed");
                options.Events.MapEventType<SessionCancelled>("session_cancelled");
                options.Events.MapEventType<SessionRescheduled>("session_rescheduled");
                options.Events.MapEventType<RegistrantsReminded>("registrants_reminded");
                options.Events.MapEventType<JointInterventionRecorded>("joint_intervention_recorded");
                options.AddDirectoryView();

                options.Projections.Add(new TrainingModuleProjection(), ProjectionLifecycle.Live);
                options.Projections.Add(new ModuleDetailsProjection(), ProjectionLifecycle.Inline);
                options.Projections.Add(new TrainingSessionProjection(), ProjectionLifecycle.Live);
                options.Projections.Add(new SessionDetailsProjection(), ProjectionLifecycle.Inline);
                options.Schema.For<SessionDetails>().Duplicate(s => s.StartsAt).Duplicate(s => s.Departement);
                options.Schema.For<JointInterventionDetails>().Duplicate(i => i.Departement);
            })
            .PublishIntegrationEvents<TrainingContractsMapper>();
        builder.Services.Configure<TrainingOptions>(builder.Configuration.GetSection("Training"));
        builder.Services.AddSingleton<Sessions.Reminding.ReminderWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Sessions.Reminding.ReminderWatcher>());
        // One message at a time: the Directory's events are few, and the inline KnownOrganisation view must never race.
        builder.AddMessaging(serviceName: "training", bus => bus.AddConsumer<DirectoryEventsConsumer>(), concurrentMessageLimit: 1);
        return builder;
    }
}
