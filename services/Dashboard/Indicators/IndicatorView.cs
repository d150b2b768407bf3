using System.Globalization;
using System.Text;

namespace Coordination.Dashboard.Indicators;

/// <summary>
/// One table of a view. A value is a number as text, "&lt; 11" or "secret" (suppressed counts), a decimal with a
/// dot for rates and durations, or null when it is not shown (a rate over fewer than 11 persons).
/// </summary>
public sealed record IndicatorTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IndicatorRow> Rows);

public sealed record IndicatorRow(string Key, string Label, IReadOnlyDictionary<string, string?> Values);

/// <summary>
/// What every indicator view answers: the scope it covers, the period, how current it is (<see cref="AsOf"/>: the
/// time of the latest event reflected), whether small counts are suppressed, and its tables.
/// </summary>
public sealed record IndicatorView(
    string View, string Scope, string? Departement, Guid? Organisation, string? Network, string Period,
    DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<IndicatorTable> Tables)
{
    public IndicatorTable Table(string name) => Tables.Single(t => t.Name == name);

    /// <summary>
    /// Any view as one CSV in long format (table; key; label; measure; value): UTF-8 with BOM and ';' as French
    /// spreadsheets expect, with exactly the values of the JSON, so suppression applies unchanged.
    /// </summary>
    public IResult AsCsvFile() =>
        TypedResults.File(ToCsv(), "text/csv; charset=utf-8", $"indicateurs-{View}-{Scope}-{From:yyyy-MM-dd}-{To:yyyy-MM-dd}.csv");

    public byte[] ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendLine("tableau;cle;libelle;mesure;valeur");
        foreach (var table in Tables)
            foreach (var row in table.Rows)
                foreach (var column in table.Columns)
                    csv.Append(Csv.Field(table.Name)).Append(';').Append(Csv.Field(row.Key)).Append(';').Append(Csv.Field(row.Label)).Append(';')
                        .Append(Csv.Field(column)).Append(';').AppendLine(Csv.Field(row.Values.GetValueOrDefault(column) ?? ""));
        return Csv.WithBom(csv.ToString());
    }
}

public static class Csv
{
    public static string Field(string value) =>
        value.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    public static byte[] WithBom(string text) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];

    public static string Number(double value, int decimals = 2) =>
        Math.Round(value, decimals).ToString(CultureInfo.InvariantCulture);
}
