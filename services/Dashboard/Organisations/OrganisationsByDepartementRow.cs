namespace Coordination.Dashboard.Organisations;

public sealed record OrganisationsByDepartementRow(
    string Departement, string DepartementName, string Kind, int Organisations, int AcceptingReferrals);
