using System.Globalization;
using Coordination.Contracts.Directory;
using Coordination.ReferenceData;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Npgsql;
using NpgsqlTypes;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// Who asks for which figures. National coordinators (and admins) see the national view, a département's or an
/// organisation's, always with small counts suppressed; organisation staff see only their own organisation,
/// unsuppressed; anybody else is refused.
/// </summary>
public sealed record IndicatorQuery(
    string Scope, bool Suppress, Period Period, DateTimeOffset From, DateTimeOffset To, DateTimeOffset Now,
    string? Departement, Guid? Organisation, string? Network, bool Fresh = false, bool Compare = false)
{
    /// <summary>The one answer of every Dashboard view to a caller outside the agreement.</summary>
    public const string NotAllowed = "Ces indicateurs sont réservés aux coordinateurs nationaux et au personnel des organisations.";

    /// <summary>The organisation kind a <c>network</c> filter keeps: a hand-off counts when either side is of that kind.</summary>
    public string? NetworkKind => Network switch
    {
        "iscg" => OrganisationKinds.IscgPost,
        "association" => OrganisationKinds.VictimSupportAssociation,
        "partner" => OrganisationKinds.Partner,
        _ => null,
    };

    public string PostgresPeriod => Period.ToString().ToLowerInvariant();

    /// <summary>The scope's parameters, as every view's SQL names them: @from, @to, @departement, @organisation, @kind.</summary>
    public void Bind(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, From.UtcDateTime);
        parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, To.UtcDateTime);
        parameters.AddWithValue("departement", NpgsqlDbType.Text, (object?)Departement ?? DBNull.Value);
        parameters.AddWithValue("organisation", NpgsqlDbType.Uuid, (object?)Organisation ?? DBNull.Value);
        parameters.AddWithValue("kind", NpgsqlDbType.Text, (object?)NetworkKind ?? DBNull.Value);
    }

    /// <summary>Answers the view for a valid query, or the problem that says why not.</summary>
    public static async Task<IResult> Answer(HttpContext http, TimeProvider time, Func<IndicatorQuery, Task<IResult>> answer)
    {
        var (query, problem) = Parse(http, time);
        return query is null ? problem! : await answer(query);
    }

    public IndicatorView View(string name, DateTimeOffset? asOf, IReadOnlyList<IndicatorTable> tables) =>
        new(name, Scope, Departement, Organisation, Network, PostgresPeriod, From, To, asOf, Suppress, tables);

    /// <summary>Reads and checks the query string; a problem (400 or 403) when it cannot be answered.</summary>
    public static (IndicatorQuery? Query, IResult? Problem) Parse(HttpContext http, TimeProvider time)
    {
        var parameters = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        var now = time.GetUtcNow();

        if (!QueryValues.TryParseEnum<Period>(parameters["period"], out var period))
            errors["period"] = [$"Période inconnue : valeurs possibles {QueryValues.Allowed<Period>()}."];
        var granularity = period ?? Period.Month;

        // By default whole days up to the end of today (Paris), or whole months up to the end of this one: the same
        // key for every read of the day, and national monthly views read the monthly totals.
        var today = ParisTime.DayOf(now);
        var to = ParseInstant(parameters["to"], "to", errors) ?? (granularity is Period.Day or Period.Week
            ? ParisTime.StartOf(today.AddDays(1))
            : ParisTime.StartOf(new DateOnly(today.Year, today.Month, 1).AddMonths(1)));
        var from = ParseInstant(parameters["from"], "from", errors) ?? granularity switch
        {
            // Counted in Paris days, not hours: a range across a change of summer time still starts at midnight.
            Period.Day => ParisTime.StartOf(ParisTime.DayOf(to).AddDays(-30)),
            Period.Week => ParisTime.StartOf(ParisTime.DayOf(to).AddDays(-7 * 12)),
            Period.Month => ParisTime.StartOf(ParisTime.DayOf(to).AddMonths(-12)),
            _ => ParisTime.StartOf(ParisTime.DayOf(to).AddYears(-3)),
        };
        if (from >= to) errors["from"] = ["La date de début doit précéder la date de fin."];
        else if (to - from > TimeSpan.FromDays(366 * 10)) errors["from"] = ["La période ne peut pas dépasser dix ans."];

        string? departement = parameters["departement"];
        if (departement is not null && !Vocabularies.Departements.ContainsKey(departement))
            errors["departement"] = ["Code de département INSEE inconnu (par exemple 93 ou 2A)."];

        Guid? organisation = null;
        if (parameters["organisation"] is { Count: > 0 } rawOrganisation)
        {
            if (Guid.TryParse(rawOrganisation, out var parsed)) organisation = parsed;
            else errors["organisation"] = ["Identifiant d'organisation invalide."];
        }

        string? network = parameters["network"];
        if (network is not null && network is not ("iscg" or "association" or "partner"))
            errors["network"] = ["Réseau inconnu : valeurs possibles iscg, association, partner."];

        var compare = parameters["compare"].ToString() is { Length: > 0 } asked ? asked : null;
        if (compare is not (null or Comparison.PreviousYear))
            errors["compare"] = [$"Comparaison inconnue : valeur possible {Comparison.PreviousYear}."];
        else if (compare is not null && !errors.ContainsKey("from") && ParisTime.DayOf(from).AddYears(1) < ParisTime.DayOf(to))
            errors["compare"] = ["Une comparaison avec l'année précédente porte sur un an au plus : les deux périodes ne doivent pas se chevaucher."];

        if (errors.Count > 0) return (null, Problems.Invalid(errors));

        var user = CurrentUser.From(http.User);
        if (user.IsCoordinatorOrAdmin)
        {
            var scope = organisation is not null ? "organisation" : departement is not null ? "departement" : "national";
            return (new IndicatorQuery(scope, true, granularity, from.ToUniversalTime(), to.ToUniversalTime(), now, departement, organisation, network, AsksFresh(http), compare is not null), null);
        }
        if (user.OrganisationId is { } own && Roles.OrganisationStaff.Contains(user.Role))
        {
            if (organisation is not null && organisation != own)
                return (null, Problems.Forbidden("Vous ne pouvez consulter que les indicateurs de votre organisation."));
            return (new IndicatorQuery("organisation", false, granularity, from.ToUniversalTime(), to.ToUniversalTime(), now, departement, own, network, AsksFresh(http), compare is not null), null);
        }
        return (null, Problems.Forbidden(NotAllowed));
    }

    /// <summary>A request with <c>Cache-Control: no-cache</c> is computed afresh, not served from <see cref="IndicatorCache"/>.</summary>
    public static bool AsksFresh(HttpContext http) =>
        http.Request.Headers.CacheControl.ToString().Contains("no-cache", StringComparison.OrdinalIgnoreCase);

    public const string WholeDays = "Date invalide : les périodes sont des journées entières (heure de Paris), attendu AAAA-MM-JJ sans heure.";

    /// <summary>
    /// A day in Paris time, nothing finer: two periods that differ by less than a day would single out the hand-offs sent
    /// in between (docs/privacy.md, "Differencing").
    /// </summary>
    private static DateTimeOffset? ParseInstant(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return ParisTime.StartOf(day);
        errors[field] = [WholeDays];
        return null;
    }
}
