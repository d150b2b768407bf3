namespace Coordination.Dashboard.Referrals;

/// <summary>
/// Hand-offs sent in a period, per département and by where they stand now (<see cref="ReferralActivityEndpoint"/>).
/// A count is a number, "&lt; 11" or "secret".
/// </summary>
public sealed record ReferralActivity(
    string Scope, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<string> Columns,
    IReadOnlyList<ReferralActivity.Row> Rows, IReadOnlyDictionary<string, string> ColumnTotals, string Total)
{
    /// <summary>One département's hand-offs in the period, by status.</summary>
    public sealed record Row(string Departement, string DepartementName, IReadOnlyDictionary<string, string> Counts, string Total);
}
