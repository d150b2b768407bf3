using Coordination.ReferenceData;

namespace Coordination.Portal.Formatting;

/// <summary>
/// The national dashboard's filters, read from the page's French query (<c>du</c>, <c>au</c>, <c>departement</c>,
/// <c>reseau</c>, <c>organisation</c>, <c>granularite</c>, <c>comparer</c>, <c>carte</c>) and written as the Dashboard
/// API's query (whole days in Paris time). Unknown values fall back to "all".
/// </summary>
public sealed record NationalFilters(
    DateOnly From, DateOnly To, string? Departement, string? Network, Guid? Organisation, string Granularity, bool Compare, string? MapOf)
{
    public static NationalFilters Parse(string? from, string? to, string? departement, string? network, string? organisation,
        string? granularity, string? compare, string? mapOf, DateTimeOffset now)
    {
        var (f, t) = DashboardFilters.Dates(from, to, now);
        // A year at most when comparing: the two periods must not overlap (the API refuses otherwise).
        var comparing = compare is "annee-precedente";
        if (comparing && f < t.AddYears(-1).AddDays(1)) f = t.AddYears(-1).AddDays(1);
        return new NationalFilters(f, t,
            departement is not null && Vocabularies.Departements.ContainsKey(departement) ? departement : null,
            network is not null && DashboardFilters.Networks.ContainsKey(network) ? network : null,
            Guid.TryParse(organisation, out var id) ? id : null,
            granularity is not null && DashboardFilters.Granularities.ContainsKey(granularity) ? granularity : "mois",
            comparing, mapOf == "organisations" ? "organisations" : null);
    }

    /// <summary>The indicator views' query: days, granularity, scope and comparison.</summary>
    public string ApiQuery =>
        DashboardFilters.Range(From, To, Granularity)
        + (Departement is null ? "" : $"&departement={Departement}")
        + (Network is null ? "" : $"&network={Network}")
        + (Organisation is null ? "" : $"&organisation={Organisation}")
        + (Compare ? "&compare=previous-year" : "");

    /// <summary>The same page with one filter changed (the map's links, a département chosen).</summary>
    public string PageWith(string? departement) =>
        "/tableau-de-bord?" + string.Join('&', new[]
        {
            $"du={From:yyyy-MM-dd}", $"au={To:yyyy-MM-dd}", departement is null ? null : $"departement={departement}",
            Network is null ? null : $"reseau={Network}", Organisation is null ? null : $"organisation={Organisation}",
            $"granularite={Granularity}", Compare ? "comparer=annee-precedente" : null, MapOf is null ? null : $"carte={MapOf}",
        }.Where(part => part is not null));
}
