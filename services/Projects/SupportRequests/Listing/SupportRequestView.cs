using Coordination.Projects.SupportRequests.Assigning;
using Coordination.Projects.SupportRequests.Closing;
using Coordination.Projects.SupportRequests.Posting;

namespace Coordination.Projects.SupportRequests.Listing;

/// <summary>A support request with its age, its response time and what the caller may do on it (each command's own Decide).</summary>
public sealed record SupportRequestView(SupportRequestDetails Request, double AgeHours, double? ResponseHours, IReadOnlyList<string> AllowedActions)
{
    public static SupportRequestView Of(SupportRequestDetails request, CurrentUser user, DateTimeOffset now) =>
        new(request, Math.Round((now - request.RequestedAt).TotalHours, 2), request.ResponseHours, Decisions.Allowed(
            ("postSupportMessage", () => PostSupportMessageEndpoint.Decide(new PostSupportMessage("-", user, now), request)),
            ("assignSupportRequest", () => AssignSupportRequestEndpoint.Decide(new AssignSupportRequest(user.UserId, user, now), request)),
            ("closeSupportRequest", () => CloseSupportRequestEndpoint.Decide(new CloseSupportRequest(user, now), request))));
}
