namespace Coordination.Dashboard.Indicators;

/// <summary>
/// What every indicator view answers: the scope it covers, the period, how current it is (<see cref="AsOf"/>: the
/// time of the latest event reflected), whether small counts are suppressed, its tables, and the period it is compared with
/// (<see cref="Comparison"/>), if any.
/// </summary>
public sealed record IndicatorView(
    string View, string Scope, string? Departement, Guid? Organisation, string? Network, string Period,
    DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<IndicatorTable> Tables,
    ComparedPeriod? Compared = null)
{
    public IndicatorTable Table(string name) => Tables.Single(table => table.Name == name);

    /// <summary>
    /// Any view as one CSV in long format (table; key; label; measure; value), with exactly the values of the JSON,
    /// so suppression applies unchanged.
    /// </summary>
    public IResult AsCsvFile() => ToCsv().AsFile($"indicateurs-{View}-{Scope}-{From:yyyy-MM-dd}-{To:yyyy-MM-dd}.csv");

    public CsvWriter ToCsv()
    {
        var csv = new CsvWriter().Row("tableau", "cle", "libelle", "mesure", "valeur");
        foreach (var table in Tables)
            foreach (var row in table.Rows)
                foreach (var column in table.Columns)
                    csv.Row(table.Name, row.Key, row.Label, column, row.Values.GetValueOrDefault(column));
        return csv;
    }
}
