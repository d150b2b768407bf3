namespace Coordination.Dashboard.Organisations;

/// <summary>How many active organisations of each kind cover each département, and how many accept referrals now.</summary>
public sealed record OrganisationsByDepartement(DateTimeOffset? AsOf, IReadOnlyList<OrganisationsByDepartementRow> Rows);
