using Coordination.Contracts.Directory;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.Dashboard.Organisations;

public static class OrganisationsByDepartementEndpoint
{
    private static readonly string[] Kinds =
        [OrganisationKinds.VictimSupportAssociation, OrganisationKinds.IscgPost, OrganisationKinds.Partner];

    public static RouteGroupBuilder MapOrganisationsByDepartement(this RouteGroupBuilder group)
    {
        group.MapGet("/organisations-by-departement", Handle)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("GetOrganisationsByDepartement")
            .WithSummary("Active organisations per département and kind (national coordinators and admins).");
        return group;
    }

    private static async Task<Results<Ok<OrganisationsByDepartement>, ValidationProblem>> Handle(
        IQuerySession session, CancellationToken ct, string? departement = null)
    {
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            return Problems.Invalid(new Dictionary<string, string[]> { ["departement"] = ["Ce n'est pas un code de département INSEE."] });

        // A few thousand organisations at national scale: grouping them here is cheap and always exact.
        var organisations = await session.Query<ParticipatingOrganisation>().Where(o => o.Registered).ToListAsync(ct);
        var asOf = organisations.Count == 0 ? (DateTimeOffset?)null : organisations.Max(o => o.LastEventAt);

        var rows = organisations
            .Where(o => o.Active && o.Kind is not null)
            .SelectMany(o => o.Departements.Select(d => (Departement: d, Organisation: o)))
            .Where(x => departement is null || x.Departement == departement)
            .GroupBy(x => (x.Departement, x.Organisation.Kind!))
            .Select(g => new OrganisationsByDepartementRow(
                g.Key.Departement,
                Vocabularies.Departements.TryGetValue(g.Key.Departement, out var d) ? d.Name : g.Key.Departement,
                g.Key.Item2,
                g.Count(),
                g.Count(x => x.Organisation.AcceptsReferrals)))
            .OrderBy(r => r.Departement, StringComparer.Ordinal)
            .ThenBy(r => Array.IndexOf(Kinds, r.Kind))
            .ToList();
        return TypedResults.Ok(new OrganisationsByDepartement(asOf, rows));
    }
}
