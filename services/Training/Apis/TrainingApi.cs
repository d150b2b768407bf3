using Coordination.Training.Interventions.Listing;
using Coordination.Training.Interventions.Recording;
using Coordination.Training.Modules.GettingCatalogue;
using Coordination.Training.Modules.GettingModule;
using Coordination.Training.Modules.PublishingModule;
using Coordination.Training.Modules.Retiring;
using Coordination.Training.Modules.Revising;
using Coordination.Training.Sessions.Cancelling;
using Coordination.Training.Sessions.CancellingRegistration;
using Coordination.Training.Sessions.Certifying;
using Coordination.Training.Sessions.Closing;
using Coordination.Training.Sessions.Evaluating;
using Coordination.Training.Sessions.GettingDetails;
using Coordination.Training.Sessions.GettingRoster;
using Coordination.Training.Sessions.ListingMine;
using Coordination.Training.Sessions.ListingUpcoming;
using Coordination.Training.Sessions.OpeningRegistration;
using Coordination.Training.Sessions.RecordingAttendance;
using Coordination.Training.Sessions.Registering;
using Coordination.Training.Sessions.Rescheduling;
using Coordination.Training.Sessions.Scheduling;

namespace Coordination.Training.Apis;

public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/training")
            .WithTags("Training")
            .MapPublishModule()
            .MapReviseModule()
            .MapRetireModule()
            .MapGetCatalogue()
            .MapGetModule()
            .MapScheduleSession()
            .MapOpenRegistration()
            .MapRegister()
            .MapCancelRegistration()
            .MapRecordAttendance()
            .MapEvaluateSession()
            .MapCloseSession()
            .MapCancelSession()
            .MapRescheduleSession()
            .MapListUpcomingSessions()
            .MapGetSession()
            .MapGetRoster()
            .MapListMyRegistrations()
            .MapAttendanceCertificate()
            .MapRecordJointIntervention()
            .MapListJointInterventions();
        return app;
    }
}
