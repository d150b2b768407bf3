namespace Coordination.Projects;

public sealed class ProjectsOptions
{
    public TimeSpan MilestoneCheckEvery { get; set; } = TimeSpan.FromMinutes(10);
}
