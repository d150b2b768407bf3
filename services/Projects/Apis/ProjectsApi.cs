using Coordination.Projects.AddingFundingLine;
using Coordination.Projects.AddingMilestone;
using Coordination.Projects.AddingPartner;
using Coordination.Projects.AttachingDocument;
using Coordination.Projects.ChangingStage;
using Coordination.Projects.CompletingMilestone;
using Coordination.Projects.Creating;
using Coordination.Projects.DownloadingDocument;
using Coordination.Projects.GettingDetails;
using Coordination.Projects.GettingTimeline;
using Coordination.Projects.ListingStuck;
using Coordination.Projects.RecordingFundingDecision;
using Coordination.Projects.SearchingProjects;
using Coordination.Projects.SupportRequests.Assigning;
using Coordination.Projects.SupportRequests.Closing;
using Coordination.Projects.SupportRequests.GettingDetails;
using Coordination.Projects.SupportRequests.Listing;
using Coordination.Projects.SupportRequests.Opening;
using Coordination.Projects.SupportRequests.Posting;

namespace Coordination.Projects.Apis;

public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/projects")
            .WithTags("Projects")
            .MapOpenSupportRequest()
            .MapListSupportRequests()
            .MapGetSupportRequest()
            .MapPostSupportMessage()
            .MapAssignSupportRequest()
            .MapCloseSupportRequest()
            .MapCreateProject()
            .MapSearchProjects()
            .MapListStuckProjects()
            .MapGetProject()
            .MapGetTimeline()
            .MapAddPartner()
            .MapChangeStage()
            .MapAddFundingLine()
            .MapRecordFundingDecision()
            .MapAddMilestone()
            .MapCompleteMilestone()
            .MapAttachDocument()
            .MapDownloadDocument();
        return app;
    }
}
