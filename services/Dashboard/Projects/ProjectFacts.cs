namespace Coordination.Dashboard.Projects;

/// <summary>
/// What the indicators need of one project: its current stage (highest source version wins), when it last changed
/// stage, its funding lines (each by its own latest version) and its overdue milestones.
/// </summary>
public sealed record ProjectFacts(
    Guid Id, string? Type, string? Stage, long StageVersion, string[] Departements, Guid? LeadOrganisationId, DateTimeOffset? StageChangedAt,
    FundingLineFacts[] FundingLines, Guid[] OverdueMilestones, DateTimeOffset LastEventAt);
