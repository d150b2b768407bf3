// The namespace is part of each message's identity on the bus: never move these types.
namespace Coordination.Contracts.Training;

/// <param name="Audience"><c>iscg-workers</c>, <c>association-staff</c>, <c>both</c> or <c>partners</c>.</param>
public sealed record TrainingSessionScheduled(
    Guid SessionId, Guid ModuleId, int ModuleVersion, string Departement, string Audience, int Capacity,
    DateTimeOffset StartsAt, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => SessionId;
}

/// <summary>Counts after every registration, cancellation or promotion: fill rate and waiting-list size.</summary>
public sealed record TrainingRegistrationsChanged(
    Guid SessionId, string Departement, int Capacity, int Registered, int Waitlisted,
    long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => SessionId;
}

/// <summary>
/// Attendance recorded: who came, counted per network and per organisation (never who). <paramref name="AttendedByOrganisation"/>
/// is absent from messages published before it existed.
/// </summary>
public sealed record TrainingSessionHeld(
    Guid SessionId, string Departement, int Capacity, int Registered, int AttendedIscg, int AttendedAssociations, int AttendedPartners,
    long SourceVersion, DateTimeOffset OccurredAt, IReadOnlyList<OrganisationAttendance>? AttendedByOrganisation = null) : IIntegrationEvent
{
    public Guid SourceStreamId => SessionId;
}

/// <summary>How many of an organisation's staff attended a session: a count, no person.</summary>
public sealed record OrganisationAttendance(Guid OrganisationId, int Attended);

public sealed record TrainingEvaluationSubmitted(
    Guid SessionId, string Departement, int Rating, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => SessionId;
}

public sealed record TrainingSessionCancelled(
    Guid SessionId, string Departement, int Registered, int Waitlisted, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => SessionId;
}

/// <param name="Kind">presentation-to-police, joint-case-review, colloquium, awareness-session, other.</param>
public sealed record JointInterventionRecorded(
    Guid InterventionId, string Departement, string Kind, DateOnly Date, int IscgPosts, int Associations, int Partners,
    int AttendanceCount, long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => InterventionId;
}

/// <summary>
/// People to be told of something about a session they signed up for — account ids only, never names — bound by
/// Notifications alone (the counts above are what the Dashboard binds).
/// </summary>
/// <param name="Moment"><c>cancelled</c> (registered and waitlisted), <c>moved</c> (both; <paramref name="PreviousStartsAt"/>
/// is the former start), <c>promoted</c> (the one who got a place from the waiting list), <c>reminder</c> (the registered,
/// two days before the start).</param>
public sealed record TrainingRegistrantsNotice(
    Guid SessionId, string Moment, IReadOnlyList<string> UserIds, DateTimeOffset StartsAt, DateTimeOffset? PreviousStartsAt,
    long SourceVersion, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    public Guid SourceStreamId => SessionId;
}
