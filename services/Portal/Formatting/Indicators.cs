using System.Globalization;

namespace Coordination.Portal.Formatting;

/// <summary>
/// The Dashboard's indicator values as the page shows them: the API sends numbers as text with a dot ("0.42", "12.5"),
/// counts it hides ("&lt; 11", "secret") and null (not shown: fewer than 11 persons). Column codes get French headers.
/// </summary>
public static class Indicators
{
    public const string NotShown = "non affiché (moins de 11 personnes)";

    public static readonly IReadOnlyDictionary<string, string> Column = new Dictionary<string, string>
    {
        ["count"] = "Nombre", ["rate"] = "Part", ["sent"] = "Envoyées", ["received"] = "Reçues", ["value"] = "Valeur",
        ["given"] = "Donnés", ["deadline-hours"] = "Délai attendu (h)",
        ["median-hours-to-acknowledge"] = "Accusé de réception : médiane (h)", ["p90-hours-to-acknowledge"] = "Accusé de réception : 9 sur 10 en moins de (h)",
        ["share-acknowledged-in-time"] = "Dans les délais", ["median-hours-to-first-contact"] = "Premier contact : médiane (h)",
        ["p90-hours-to-first-contact"] = "Premier contact : 9 sur 10 en moins de (h)",
        ["held-sessions"] = "Sessions tenues", ["interventions"] = "Interventions communes", ["intervention-attendance"] = "Participants aux interventions",
        ["requested"] = "Demandé", ["granted"] = "Accordé", ["pending-lines"] = "Demandes en attente", ["refused-lines"] = "Demandes refusées",
        ["open"] = "Ouvertes", ["median-open-days"] = "Ancienneté médiane (jours)", ["answered"] = "Répondues", ["median-response-hours"] = "Réponse : médiane (h)",
        ["type"] = "Type", ["stage"] = "Étape", ["departement"] = "Département", ["days-in-stage"] = "Jours dans l'étape", ["overdue-milestones"] = "Jalons en retard",
    };

    private static readonly IReadOnlyDictionary<string, string> Stage = new Dictionary<string, string>
    {
        ["idea"] = "Idée", ["diagnosis"] = "Diagnostic", ["funding-search"] = "Recherche de financements", ["convention-signed"] = "Convention signée",
        ["launched"] = "Lancé", ["running"] = "En fonctionnement", ["evaluated"] = "Évalué", ["abandoned"] = "Abandonné",
    };

    /// <summary>Whether a cell is a share (0 to 1) shown as a percentage.</summary>
    public static bool IsShare(string column, string rowKey) =>
        column is "rate" or "share-acknowledged-in-time" || (column == "value" && rowKey == "fill-rate");

    public static bool IsEuros(string table, string column) => table == "funding" && column is "requested" or "granted";

    public const string PreviousYear = ":previous-year", ChangePercent = ":change-percent";

    /// <summary>A column's French header; a compared view's columns say which year they show, or the change.</summary>
    public static string Header(string column) =>
        column.EndsWith(PreviousYear, StringComparison.Ordinal) ? French.Label(Column, column[..^PreviousYear.Length]) + " (un an avant)"
        : column.EndsWith(ChangePercent, StringComparison.Ordinal) ? "Évolution"
        : French.Label(Column, column);

    /// <summary>A cell's text; null means "not shown" (the page adds the hidden explanation).</summary>
    public static string? Format(string table, string column, string rowKey, string? value)
    {
        if (value is null) return null;
        if (value is "< 11" or "secret") return value;
        if (column.EndsWith(ChangePercent, StringComparison.Ordinal))
            return decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var change)
                ? change.ToString("+0.#;-0.#;0", French.Culture) + "\u00a0%" : value;
        if (column.EndsWith(PreviousYear, StringComparison.Ordinal)) column = column[..^PreviousYear.Length];
        if (table == "stuck" && column == "stage") return French.Label(Stage, value);
        if (table == "stuck" && column == "type") return value;
        if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)) return value;
        if (IsEuros(table, column)) return French.Euros(number);
        if (IsShare(column, rowKey)) return (number * 100).ToString("0", French.Culture) + "\u00a0%";
        return number == decimal.Truncate(number) ? number.ToString("N0", French.Culture) : number.ToString("#,##0.##", French.Culture);
    }

    public static bool IsNumeric(string table, string column) => !(table == "stuck" && column.Split(':')[0] is "type" or "stage" or "departement");
}
