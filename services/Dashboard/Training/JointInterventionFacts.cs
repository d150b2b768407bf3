namespace Coordination.Dashboard.Training;

/// <summary>A joint intervention (presentation to the police, joint case review…), as recorded.</summary>
public sealed record JointInterventionFacts(
    Guid Id, string Departement, string Kind, DateTimeOffset OnDay, int IscgPosts, int Associations, int Partners, int AttendanceCount,
    DateTimeOffset LastEventAt);
