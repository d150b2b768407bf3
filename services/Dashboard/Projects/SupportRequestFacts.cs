namespace Coordination.Dashboard.Projects;

/// <summary>A support request a project sent to the national coordinators.</summary>
public sealed record SupportRequestFacts(
    Guid Id, Guid ProjectId, string Kind, DateTimeOffset? OpenedAt, double? ResponseHours, bool Closed, DateTimeOffset LastEventAt);
