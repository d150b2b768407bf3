using System.Text.Json;
using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.MyOrganisation;
using Coordination.Dashboard.Referrals;
using Npgsql;

namespace Coordination.Dashboard.Api.Tests;

// The Dashboard's answers as a client reads them (written here, not borrowed from the service, so that a renamed
// field fails a test). A count is text: a number, "< 11" or "secret"; a value not shown is null.

public sealed record IndicatorView(
    string View, string Scope, string? Departement, Guid? Organisation, string? Network, string Period,
    DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<IndicatorTable> Tables,
    ComparedPeriod? Compared = null)
{
    /// <summary>One table: row key → column → value.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string?>> Table(string name) =>
        Tables.Single(table => table.Name == name).Rows.ToDictionary(row => row.Key, row => row.Values);
}

public sealed record ComparedPeriod(string Kind, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf);

public sealed record IndicatorTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IndicatorRow> Rows);

public sealed record IndicatorRow(string Key, string Label, IReadOnlyDictionary<string, string?> Values);

public sealed record ReferralActivity(
    string Scope, DateTimeOffset From, DateTimeOffset To, DateTimeOffset? AsOf, bool Suppressed, IReadOnlyList<string> Columns,
    IReadOnlyList<ReferralActivityRow> Rows, IReadOnlyDictionary<string, string> ColumnTotals, string Total);

public sealed record ReferralActivityRow(string Departement, string DepartementName, IReadOnlyDictionary<string, string> Counts, string Total);

public sealed record ReferralTimings(string Scope, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<ReferralTimingsRow> Rows);

public sealed record ReferralTimingsRow(
    string Urgency, string Sent, double? MedianHoursToAcknowledge, double? P90HoursToAcknowledge, double? ShareAcknowledgedInTime,
    double? MedianHoursToFirstContact, double? P90HoursToFirstContact);

public sealed record OrganisationsByDepartement(DateTimeOffset? AsOf, IReadOnlyList<OrganisationsByDepartementRow> Rows);

public sealed record OrganisationsByDepartementRow(string Departement, string DepartementName, string Kind, int Organisations, int AcceptingReferrals);

/// <summary>What <c>/health</c> says, and per check its data (error queue → messages waiting).</summary>
public sealed record Health(string Status, IReadOnlyDictionary<string, HealthCheck> Checks);

public sealed record HealthCheck(string Status, IReadOnlyDictionary<string, System.Text.Json.JsonElement>? Data);

public static class IndicatorTables
{
    public static Dictionary<string, IReadOnlyDictionary<string, string?>> Table(IndicatorView view, string name) => view.Table(name);
}

/// <summary>
/// A national or département view read from the hand-offs themselves, for the same scope and period as a view the API
/// answered (which may have read the totals): periods are whole days, so no query string can force the hand-offs.
/// </summary>
public static class FromFacts
{
    public static Task<IndicatorView> Referrals(DashboardFactory factory, IndicatorView like) =>
        Read<IndicatorView>(factory, QueryLike(like, Enum.Parse<Period>(like.Period, ignoreCase: true), like.Departement, like.Network),
            async (query, db) => await ReferralIndicators.ComputeFromFacts(query, db, CancellationToken.None));

    /// <summary>An organisation's dashboard read from its hand-offs, for the same organisation and period as an answer.</summary>
    public static Task<IndicatorView> Organisation(DashboardFactory factory, IndicatorView like) =>
        Read<IndicatorView>(factory, QueryLike(like, Enum.Parse<Period>(like.Period, ignoreCase: true), like.Departement, like.Network),
            async (query, db) => await OrganisationIndicators.ComputeFromFacts(query, db, CancellationToken.None));

    /// <summary>The activity per département counted from the hand-offs, for the scope and period of an answer.</summary>
    public static Task<ReferralActivity> Activity(DashboardFactory factory, ReferralActivity like, string? departement, string? network) =>
        Read<ReferralActivity>(factory,
            new IndicatorQuery(like.Scope, like.Suppressed, Period.Month, like.From, like.To, DateTimeOffset.UtcNow, departement, null, network),
            async (query, db) => await ReferralActivityEndpoint.ComputeFromFacts(query, db, CancellationToken.None));

    private static IndicatorQuery QueryLike(IndicatorView like, Period period, string? departement, string? network) =>
        new(like.Scope, like.Suppressed, period, like.From, like.To, DateTimeOffset.UtcNow, departement, like.Organisation, network);

    /// <summary>Computed by the service's own code from the hand-offs, then read back as a client reads the answer.</summary>
    private static async Task<T> Read<T>(DashboardFactory factory, IndicatorQuery query, Func<IndicatorQuery, NpgsqlDataSource, Task<object>> compute)
    {
        var computed = await compute(query, factory.Services.GetRequiredService<NpgsqlDataSource>());
        var json = JsonSerializer.Serialize(computed, computed.GetType(), JsonSerializerOptions.Web);
        return JsonSerializer.Deserialize<T>(json, JsonSerializerOptions.Web)!;
    }
}
