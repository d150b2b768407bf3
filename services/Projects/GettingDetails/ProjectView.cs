namespace Coordination.Projects.GettingDetails;

/// <summary>A project as listed and read: its state, the funding totals against the budget, and what the caller may do.</summary>
public sealed record ProjectView(
    Project Project, decimal Requested, decimal Granted, decimal Budget, decimal GrantedShareOfBudget, IReadOnlyList<string> AllowedActions,
    long Version)
{
    public static ProjectView Of(Project project, long version, CurrentUser user) =>
        new(project, project.Requested, project.Granted, project.Budget,
            project.Budget == 0 ? 0 : Math.Round(project.Granted / project.Budget, 4), ProjectActions.For(project, user), version);
}
