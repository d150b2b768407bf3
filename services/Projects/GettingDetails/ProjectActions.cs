using Coordination.Projects.ChangingStage;
using Coordination.Projects.SupportRequests.Opening;

namespace Coordination.Projects.GettingDetails;

/// <summary>
/// What the caller may do on a project now: the guard each command's Decide starts with, run for the caller on the current
/// state. The commands that add or decide something need the caller's input for the rest; their guard is who may change it.
/// </summary>
public static class ProjectActions
{
    public static IReadOnlyList<string> For(Project project, CurrentUser user) => Decisions.Allowed(
        ("changeStage", () => ChangeStageEndpoint.Guard(project, user)),
        ("addPartner", () => project.EnsureMayChange(user)),
        ("addFundingLine", () => project.EnsureMayChange(user)),
        ("recordFundingDecision", () => project.EnsureMayChange(user)),
        ("addMilestone", () => project.EnsureMayChange(user)),
        ("completeMilestone", () => project.EnsureMayChange(user)),
        ("attachDocument", () => project.EnsureMayChange(user)),
        ("openSupportRequest", () => OpenSupportRequestEndpoint.Guard(project, user)));
}
