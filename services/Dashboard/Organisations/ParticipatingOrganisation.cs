namespace Coordination.Dashboard.Organisations;

/// <summary>
/// The Dashboard's view of one organisation taking part in the agreement. Messages may arrive out of
/// order (parallel publishing, retries): each aspect keeps the source version it was last set from and
/// ignores anything older, so arrival order never changes the result.
/// </summary>
public sealed record ParticipatingOrganisation(
    Guid Id, string? Kind, string[] Departements, bool AcceptsReferrals, bool Registered, bool Active,
    long CoverageVersion, long CapacityVersion, DateTimeOffset LastEventAt);
