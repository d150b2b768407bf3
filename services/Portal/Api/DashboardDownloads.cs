using System.Globalization;
using Coordination.Portal.Authentication;

namespace Coordination.Portal.Api;

/// <summary>
/// The Dashboard's files the staff and coordinators download from the new dashboard pages, fetched with the user's token
/// (the browser holds none): the organisation's indicators as CSV. Only whole days and known granularities are passed on.
/// </summary>
public static class DashboardDownloads
{
    public static WebApplication MapDashboardDownloads(this WebApplication app)
    {
        app.MapGet("/tableau-de-bord/mon-organisation/indicateurs.csv", (HttpContext http, ApiRelay relay, string? from, string? to, string? period) =>
                Forward(http, relay, "api/dashboard/indicators/organisation.csv" + Days(from, to, period), "text/csv; charset=utf-8", "mes-indicateurs.csv"))
            .RequireAuthorization(PortalPolicies.OrganisationStaff).ExcludeFromDescription();
        // The yearly report's workbook: national for coordinators, the caller's organisation for staff (the API decides).
        app.MapGet("/tableau-de-bord/bilan-{year:int}.xlsx", (int year, HttpContext http, ApiRelay relay) =>
                Forward(http, relay, $"api/dashboard/annual-report/{year}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"bilan-annuel-{year}.xlsx"))
            .RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    /// <summary>The query of whole days (<c>AAAA-MM-JJ</c>) and granularity, dropping anything else.</summary>
    public static string Days(string? from, string? to, string? period) => Query(from, to, period, null, null, null, null);

    /// <summary>The dashboard's filters passed on to the API, each checked; anything else is dropped.</summary>
    public static string Scope(HttpRequest request) => Query(request.Query["from"], request.Query["to"], request.Query["period"],
        request.Query["departement"], request.Query["network"], request.Query["organisation"], request.Query["compare"]);

    private static string Query(string? from, string? to, string? period, string? departement, string? network, string? organisation, string? compare)
    {
        var query = new List<string>();
        foreach (var (name, value) in new[] { ("from", from), ("to", to) })
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                query.Add($"{name}={day:yyyy-MM-dd}");
        if (period is "day" or "week" or "month" or "year") query.Add("period=" + period);
        if (departement is { Length: > 0 and <= 3 } && departement.All(char.IsAsciiLetterOrDigit)) query.Add("departement=" + departement);
        if (network is "iscg" or "association" or "partner") query.Add("network=" + network);
        if (Guid.TryParse(organisation, out var id)) query.Add($"organisation={id}");
        if (compare == "previous-year") query.Add("compare=previous-year");
        return query.Count > 0 ? "?" + string.Join('&', query) : "";
    }

    /// <summary>A Dashboard file, streamed from the API as it comes (<see cref="ApiRelay"/>).</summary>
    public static Task<IResult> Forward(HttpContext http, ApiRelay relay, string path, string contentType, string fileName) =>
        relay.RelayFile(http, path, contentType, fileName, "Le fichier n'est pas disponible pour le moment.");
}
