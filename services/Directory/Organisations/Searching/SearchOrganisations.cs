using Coordination.Directory.Organisations.GettingDetails;
using Coordination.ReferenceData;
using Marten.Pagination;

namespace Coordination.Directory.Organisations.Searching;

public sealed record OrganisationsPage(IReadOnlyList<OrganisationDetails> Items, int Page, int PageSize, long Total);

public static class SearchOrganisationsEndpoint
{
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapSearchOrganisations(this RouteGroupBuilder group)
    {
        group.MapGet("/", Handle)
            .WithName("SearchOrganisations")
            .WithSummary("Find organisations by département, need, kind and whether they accept referrals now; paged, by name.");
        return group;
    }

    private static async Task<Results<Ok<OrganisationsPage>, ValidationProblem>> Handle(
        IQuerySession session, CancellationToken ct,
        string? departement = null, string? need = null, string? kind = null,
        bool? acceptingReferrals = null, bool includeInactive = false, int page = 1, int pageSize = 20)
    {
        var validation = new OrganisationValidation();
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            validation.Add("departement", "Ce n'est pas un code de département INSEE.");
        if (need is not null && !Vocabularies.Needs.ContainsKey(need))
            validation.Add("need", "Ce besoin n'existe pas dans le référentiel.");
        OrganisationKind? kindFilter = null;
        if (kind is not null)
        {
            if (Enum.TryParse<OrganisationKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !kind.Any(char.IsAsciiDigit))
                kindFilter = parsed;
            else
                validation.Add("kind", "Type inconnu : victimSupportAssociation, iscgPost ou partner.");
        }
        if (page < 1)
            validation.Add("page", "La page commence à 1.");
        if (pageSize is < 1 or > MaxPageSize)
            validation.Add("pageSize", $"La taille de page va de 1 à {MaxPageSize}.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        IQueryable<OrganisationDetails> query = session.Query<OrganisationDetails>();
        if (!includeInactive)
            query = query.Where(o => o.Active);
        if (departement is not null)
            query = query.Where(o => o.Departements.Contains(departement));
        if (need is not null)
            query = query.Where(o => o.Needs.Contains(need));
        if (kindFilter is not null)
            query = query.Where(o => o.Kind == kindFilter);
        if (acceptingReferrals is not null)
            query = query.Where(o => o.AcceptsReferrals == acceptingReferrals);

        var results = await query.OrderBy(o => o.Name).ThenBy(o => o.Id).ToPagedListAsync(page, pageSize, ct);
        return TypedResults.Ok(new OrganisationsPage([.. results], page, pageSize, results.TotalItemCount));
    }
}
