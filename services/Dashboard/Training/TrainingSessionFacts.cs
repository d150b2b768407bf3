using Coordination.Contracts.Training;

namespace Coordination.Dashboard.Training;

/// <summary>
/// What the indicators need of one training session. Registration counts follow the highest source version (they
/// may arrive out of order); being held or cancelled is final.
/// </summary>
public sealed record TrainingSessionFacts(
    Guid Id, string Departement, string? Audience, int Capacity, DateTimeOffset? StartsAt,
    int Registered, int Waitlisted, long CountsVersion, bool Held, bool Cancelled,
    int AttendedIscg, int AttendedAssociations, int AttendedPartners, int RatingSum, int Evaluations, DateTimeOffset LastEventAt,
    IReadOnlyList<OrganisationAttendance>? AttendedByOrganisation = null);
