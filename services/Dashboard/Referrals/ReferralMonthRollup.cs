using Npgsql;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// Monthly totals of hand-offs per département, kept by PostgreSQL itself in the same transaction as every change
/// of a <see cref="ReferralFacts"/> row (a trigger subtracts the row's old contribution and adds its new one), so
/// national and département views read ~15,000 rows for a year instead of every hand-off. A rebuild that empties
/// the facts (delete or truncate) empties these too, and replay fills them again. National totals are kept as
/// département <c>*</c>, so a national view reads a few hundred rows; they are also kept per network (the kind of either
/// organisation), so a network-filtered national view reads as few. The current status of the hand-offs is kept per
/// département, month and day (<c>referral_statuses</c>, the activity chart). Delays are kept as counts per
/// logarithmic bucket (×1.25 wide), from which medians and p90 are read within about 12 %. Per organisation and side
/// (sent, received, either), monthly counts without delays: an organisation's medians stay exact, read from its
/// hand-offs through the indexes on either organisation.
/// The SQL: <c>ReferralRules.sql</c> (how a hand-off is grouped), <c>ReferralMonthRollup.sql</c> (tables and trigger),
/// <c>ReferralMonthRecount.sql</c> (the same totals counted at once) and <c>ReferralErasure.sql</c>.
/// </summary>
public static class ReferralMonthRollup
{
    private const string Schema = DashboardServiceExtensions.SchemaName;
    private const string Facts = $"{Schema}.mt_doc_referralfacts";
    private const string Months = $"{Schema}.referral_months";
    private const string Totals =
        $"{Months}, {Schema}.referral_month_codes, {Schema}.referral_month_delays, {Schema}.referral_statuses, "
        + $"{Schema}.referral_organisation_months, {Schema}.referral_organisation_codes, {Schema}.referral_rollup_keys";

    /// <summary>Bucket b holds delays in [1.25^b, 1.25^(b+1)) seconds; its value is the geometric middle.</summary>
    public static double BucketSeconds(int bucket) => Math.Pow(1.25, bucket + 0.5);

    /// <summary>Changes whenever what the totals hold changes: the next start recounts them from the facts.</summary>
    public const string Version = "referral-totals-v6";

    private static string Definitions =>
        EmbeddedSql.Read("Referrals/ReferralRules.sql") + EmbeddedSql.Read("Referrals/ReferralMonthRollup.sql")
        + EmbeddedSql.Read("Referrals/ReferralErasure.sql");

    private static string Recount => EmbeddedSql.Read("Referrals/ReferralMonthRecount.sql");

    /// <summary>
    /// Stops the trigger during a rebuild or a bulk load (row-by-row upkeep would double their time);
    /// <see cref="ResumeAsync"/> recounts and restarts it.
    /// </summary>
    public static async Task SuspendAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"alter table {Facts} disable trigger referral_rollup");
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Recounts every total from the facts and restarts the trigger in one transaction, with the facts locked against
    /// writes meanwhile (messages consumed during a rebuild are counted here, none after is missed).
    /// </summary>
    public static async Task ResumeAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Execute(connection, transaction, $"lock table {Facts} in share row exclusive mode", ct);
        await Execute(connection, transaction, Recount, ct);
        await Execute(connection, transaction, $"alter table {Facts} enable trigger referral_rollup", ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Creates or updates the functions, tables and triggers (after Marten created its own), then counts any facts
    /// stored before the trigger existed (an upgrade) by touching them.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One instance at a time: two starting together would race on the DDL.
        await Execute(connection, transaction, "select pg_advisory_xact_lock(7310001)", ct);
        // Totals of another shape (another Version) are dropped, created again and recounted from the facts.
        string? version;
        await using (var command = new NpgsqlCommand($"select obj_description(to_regclass('{Months}'), 'pg_class')", connection, transaction))
            version = await command.ExecuteScalarAsync(ct) as string;
        var recount = version != Version;
        if (recount)
            await Execute(connection, transaction, $"drop table if exists {Totals} cascade", ct);
        await Execute(connection, transaction, Definitions, ct);
        if (recount)
        {
            await Execute(connection, transaction, Recount, ct);
            await Execute(connection, transaction, $"comment on table {Months} is '{Version}'", ct);
        }
        else
            // Facts stored while the trigger did not exist yet are counted by touching them.
            await Execute(connection, transaction,
                $"update {Facts} fact set id = id where not exists (select 1 from {Schema}.referral_rollup_keys counted where counted.id = fact.id)", ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
