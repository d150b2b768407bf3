namespace Coordination.Training.Interventions;

public enum InterventionKind { PresentationToPolice, JointCaseReview, Colloquium, AwarenessSession, Other }

public sealed record JointInterventionRecorded(
    Guid InterventionId, DateOnly Date, string Departement, InterventionKind Kind, IReadOnlyList<Guid> OrganisationIds,
    int IscgPosts, int Associations, int Partners, string? Audience, int AttendanceCount, string Description, string By, DateTimeOffset At);

/// <summary>A joint intervention as listed: who took part (organisations), where, when, for whom.</summary>
public sealed record JointInterventionDetails(
    Guid Id, DateOnly Date, string Departement, InterventionKind Kind, IReadOnlyList<Guid> OrganisationIds, string? Audience,
    int AttendanceCount, string Description, string RecordedBy, DateTimeOffset RecordedAt);
