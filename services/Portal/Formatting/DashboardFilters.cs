using System.Globalization;

namespace Coordination.Portal.Formatting;

/// <summary>
/// The dashboards' filters as the pages read them (French query names) and as the Dashboard API takes them: whole days
/// in Paris time (<c>from</c> inclusive, <c>to</c> the day after the last one shown) and a granularity.
/// </summary>
public static class DashboardFilters
{
    public static readonly IReadOnlyDictionary<string, string> Granularities = new Dictionary<string, string>
    {
        ["jour"] = "Jour", ["semaine"] = "Semaine", ["mois"] = "Mois", ["annee"] = "Année",
    };

    private static readonly IReadOnlyDictionary<string, string> ApiPeriod = new Dictionary<string, string>
    {
        ["jour"] = "day", ["semaine"] = "week", ["mois"] = "month", ["annee"] = "year",
    };

    public static readonly IReadOnlyDictionary<string, string> Networks = new Dictionary<string, string>
    {
        ["iscg"] = "ISCG", ["association"] = "Associations d'aide aux victimes", ["partner"] = "Partenaires",
    };

    /// <summary>The days shown: from the query, or the last twelve months up to today (Paris).</summary>
    public static (DateOnly From, DateOnly To) Dates(string? fromText, string? toText, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(French.InParis(now).DateTime);
        var to = DateOnly.TryParseExact(toText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : today;
        var from = DateOnly.TryParseExact(fromText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f) && f <= to ? f : to.AddYears(-1).AddDays(1);
        return (from, to);
    }

    /// <summary>The API's query for these days (the last one included) and granularity.</summary>
    public static string Range(DateOnly from, DateOnly to, string? granularity) =>
        $"from={from:yyyy-MM-dd}&to={to.AddDays(1):yyyy-MM-dd}&period={ApiPeriod.GetValueOrDefault(granularity ?? "", "month")}";

    public static string AsOf(DateTimeOffset? asOf) =>
        asOf is { } at ? $"Données à jour au {French.InParis(at).ToString("dd/MM/yyyy HH:mm", French.Culture)}" : "Aucune donnée reçue pour le moment";
}
