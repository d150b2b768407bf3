using Npgsql;

namespace Coordination.Dashboard.Referrals;

/// <summary>
/// Monthly totals of hand-offs per département, kept by PostgreSQL itself in the same transaction as every change
/// of a <see cref="ReferralFacts"/> row (a trigger subtracts the row's old contribution and adds its new one), so
/// national and département views read ~15,000 rows for a year instead of every hand-off. A rebuild that empties
/// the facts (delete or truncate) empties these too, and replay fills them again. National totals are kept as
/// département <c>*</c>, so a national view reads a few hundred rows. Delays are kept as counts per
/// logarithmic bucket (×1.25 wide), from which medians and p90 are read within about 12 %.
/// </summary>
public static class ReferralMonthRollup
{
    private const string S = DashboardServiceExtensions.SchemaName;

    /// <summary>Bucket b holds delays in [1.25^b, 1.25^(b+1)) seconds; its value is the geometric middle.</summary>
    public static double BucketSeconds(int bucket) => Math.Pow(1.25, bucket + 0.5);

    /// <summary>Changes whenever what the totals hold changes: the next start recounts them from the facts.</summary>
    public const string Version = "referral-totals-v3";

    public const string Schema = $$"""
        create table if not exists {{S}}.referral_months (
            grain text not null, period_start date not null, departement text not null, direction text not null, urgency text not null,
            sent int not null default 0, pending int not null default 0, accepted int not null default 0, declined int not null default 0,
            redirected int not null default 0, expired int not null default 0, withdrawn int not null default 0,
            acknowledged int not null default 0, in_time int not null default 0, closed_unacknowledged int not null default 0,
            contacted int not null default 0, overdue_waiting int not null default 0,
            primary key (grain, period_start, departement, direction, urgency));
        create table if not exists {{S}}.referral_month_codes (
            grain text not null, period_start date not null, departement text not null, dimension text not null, code text not null,
            n int not null default 0, primary key (grain, period_start, departement, dimension, code));
        create table if not exists {{S}}.referral_month_delays (
            grain text not null, period_start date not null, departement text not null, urgency text not null, measure text not null,
            bucket int not null, n int not null default 0, primary key (grain, period_start, departement, urgency, measure, bucket));
        -- The direction a hand-off was counted under, so that its old contribution is taken back exactly even if an
        -- organisation's kind became known in between.
        create table if not exists {{S}}.referral_rollup_keys (id uuid primary key, direction text not null);

        -- Which way a hand-off went, from the kinds of its two organisations (also used by the per-hand-off views).
        create or replace function {{S}}.referral_direction(sender_kind text, receiver_kind text) returns text immutable language sql as $f$
            select case when sender_kind = 'iscg-post' and receiver_kind = 'victim-support-association' then 'iscg-to-association'
                        when sender_kind = 'victim-support-association' and receiver_kind = 'iscg-post' then 'association-to-iscg'
                        when receiver_kind = 'partner' then 'to-partner'
                        when sender_kind = 'partner' then 'from-partner'
                        else 'other' end $f$;

        create or replace function {{S}}.delay_bucket(d interval) returns int immutable language sql as
        $f$ select least(80, greatest(0, floor(ln(greatest(extract(epoch from d), 1)) / ln(1.25))::int)) $f$;

        create or replace function {{S}}.referral_rollup_apply(r {{S}}.mt_doc_referralfacts, sign int, dir text) returns void language plpgsql as $f$
        declare
            m date := date_trunc('month', r.sent_at at time zone 'Europe/Paris')::date;
            d date := (r.sent_at at time zone 'Europe/Paris')::date;
            g text;
            ps date;
            grp text := case when r.status in ('sent', 'acknowledged', 'on-hold') then 'pending'
                             when r.status in ('accepted', 'in-progress', 'completed') then 'accepted' else r.status end;
            dep text;
        begin
          -- Each hand-off counts in its département's month, the national month ('*') and the national day.
          for g, ps, dep in select * from (values ('m', m, r.departement), ('m', m, '*'), ('d', d, '*')) v loop
            insert into {{S}}.referral_months as t (grain, period_start, departement, direction, urgency, sent, pending, accepted, declined, redirected,
                expired, withdrawn, acknowledged, in_time, closed_unacknowledged, contacted, overdue_waiting)
            values (g, ps, dep, dir, r.urgency, sign,
                case when grp = 'pending' then sign else 0 end, case when grp = 'accepted' then sign else 0 end,
                case when grp = 'declined' then sign else 0 end, case when grp = 'redirected' then sign else 0 end,
                case when grp = 'expired' then sign else 0 end, case when grp = 'withdrawn' then sign else 0 end,
                case when r.acknowledged_at is not null then sign else 0 end,
                case when r.acknowledged_at <= r.acknowledge_by then sign else 0 end,
                case when r.acknowledged_at is null and r.status in ('expired', 'withdrawn') then sign else 0 end,
                case when r.first_contact_at is not null then sign else 0 end,
                case when r.status = 'sent' and r.overdue then sign else 0 end)
            on conflict (grain, period_start, departement, direction, urgency) do update set
                sent = t.sent + excluded.sent, pending = t.pending + excluded.pending, accepted = t.accepted + excluded.accepted,
                declined = t.declined + excluded.declined, redirected = t.redirected + excluded.redirected,
                expired = t.expired + excluded.expired, withdrawn = t.withdrawn + excluded.withdrawn,
                acknowledged = t.acknowledged + excluded.acknowledged, in_time = t.in_time + excluded.in_time,
                closed_unacknowledged = t.closed_unacknowledged + excluded.closed_unacknowledged, contacted = t.contacted + excluded.contacted,
                overdue_waiting = t.overdue_waiting + excluded.overdue_waiting;

            insert into {{S}}.referral_month_codes as t (grain, period_start, departement, dimension, code, n)
            select distinct g, ps, dep, c.dimension, c.code, sign from (
                select 'situation' as dimension, coalesce(r.situation, 'unknown') as code
                union all select 'outcome', r.outcome where r.status = 'completed' and r.outcome is not null
                union all select 'need', x from jsonb_array_elements_text(coalesce(r.data->'needs', '[]'::jsonb)) x
                union all select 'decline-reason', x from jsonb_array_elements_text(coalesce(r.data->'declineReasons', '[]'::jsonb)) x
                    where r.status = 'declined') c
            -- Always the same order, so that two transactions lock shared rows in the same order (no deadlock).
            order by 4, 5
            on conflict (grain, period_start, departement, dimension, code) do update set n = t.n + excluded.n;

            insert into {{S}}.referral_month_delays as t (grain, period_start, departement, urgency, measure, bucket, n)
            select g, ps, dep, r.urgency, x.measure, x.bucket, sign from (
                select 'acknowledge' as measure, {{S}}.delay_bucket(r.acknowledged_at - r.sent_at) as bucket where r.acknowledged_at is not null
                union all select 'first-contact', {{S}}.delay_bucket(r.first_contact_at - r.sent_at) where r.first_contact_at is not null) x
            order by 5, 6
            on conflict (grain, period_start, departement, urgency, measure, bucket) do update set n = t.n + excluded.n;
          end loop;
        end $f$;

        create or replace function {{S}}.referral_rollup() returns trigger language plpgsql as $f$
        declare
            previous text;
            sender_kind text;
            receiver_kind text;
            dir text;
        begin
            if tg_op in ('UPDATE', 'DELETE') then
                delete from {{S}}.referral_rollup_keys where id = old.id returning direction into previous;
                if previous is not null then perform {{S}}.referral_rollup_apply(old, -1, previous); end if;
            end if;
            if tg_op in ('INSERT', 'UPDATE') and new.sent_at is not null and new.status <> 'entered-in-error' then
                select data->>'kind' into sender_kind from {{S}}.mt_doc_participatingorganisation where id = new.sender_organisation_id;
                select data->>'kind' into receiver_kind from {{S}}.mt_doc_participatingorganisation where id = new.receiver_organisation_id;
                dir := {{S}}.referral_direction(sender_kind, receiver_kind);
                perform {{S}}.referral_rollup_apply(new, 1, dir);
                insert into {{S}}.referral_rollup_keys (id, direction) values (new.id, dir);
            end if;
            return null;
        end $f$;

        create or replace function {{S}}.referral_rollup_reset() returns trigger language plpgsql as $f$
        begin
            truncate {{S}}.referral_months, {{S}}.referral_month_codes, {{S}}.referral_month_delays, {{S}}.referral_rollup_keys;
            return null;
        end $f$;

        drop trigger if exists referral_rollup on {{S}}.mt_doc_referralfacts;
        create trigger referral_rollup after insert or update or delete on {{S}}.mt_doc_referralfacts
            for each row execute function {{S}}.referral_rollup();
        drop trigger if exists referral_rollup_reset on {{S}}.mt_doc_referralfacts;
        create trigger referral_rollup_reset after truncate on {{S}}.mt_doc_referralfacts
            for each statement execute function {{S}}.referral_rollup_reset();
        """;

    /// <summary>
    /// The same totals counted at once from every fact (what the trigger would have added row by row): after a rebuild
    /// or a bulk load run with the trigger suspended, and when <see cref="Version"/> changes.
    /// </summary>
    private const string Recount = $$"""
        truncate {{S}}.referral_months, {{S}}.referral_month_codes, {{S}}.referral_month_delays, {{S}}.referral_rollup_keys;
        create temp table rollup_source on commit drop as
            select f.id, f.departement, f.urgency, f.status, f.situation, f.outcome, f.overdue, f.sent_at, f.acknowledged_at,
                   f.acknowledge_by, f.first_contact_at, f.data->'needs' as needs, f.data->'declineReasons' as decline_reasons,
                   date_trunc('month', f.sent_at at time zone 'Europe/Paris')::date as m, (f.sent_at at time zone 'Europe/Paris')::date as d,
                   case when f.status in ('sent', 'acknowledged', 'on-hold') then 'pending'
                        when f.status in ('accepted', 'in-progress', 'completed') then 'accepted' else f.status end as grp,
                   {{S}}.referral_direction(s.data->>'kind', r.data->>'kind') as dir
            from {{S}}.mt_doc_referralfacts f
            left join {{S}}.mt_doc_participatingorganisation s on s.id = f.sender_organisation_id
            left join {{S}}.mt_doc_participatingorganisation r on r.id = f.receiver_organisation_id
            where f.sent_at is not null and f.status <> 'entered-in-error';
        insert into {{S}}.referral_rollup_keys (id, direction) select id, dir from rollup_source;
        insert into {{S}}.referral_months (grain, period_start, departement, direction, urgency, sent, pending, accepted, declined, redirected,
            expired, withdrawn, acknowledged, in_time, closed_unacknowledged, contacted, overdue_waiting)
        select v.g, v.ps, v.dep, dir, urgency, count(*),
               count(*) filter (where grp = 'pending'), count(*) filter (where grp = 'accepted'), count(*) filter (where grp = 'declined'),
               count(*) filter (where grp = 'redirected'), count(*) filter (where grp = 'expired'), count(*) filter (where grp = 'withdrawn'),
               count(acknowledged_at), count(*) filter (where acknowledged_at <= acknowledge_by),
               count(*) filter (where acknowledged_at is null and status in ('expired', 'withdrawn')), count(first_contact_at),
               count(*) filter (where status = 'sent' and overdue)
        from rollup_source src, lateral (values ('m', src.m, src.departement), ('m', src.m, '*'), ('d', src.d, '*')) v(g, ps, dep)
        group by 1, 2, 3, 4, 5;
        insert into {{S}}.referral_month_codes (grain, period_start, departement, dimension, code, n)
        select v.g, v.ps, v.dep, c.dimension, c.code, count(*)
        from rollup_source src, lateral (values ('m', src.m, src.departement), ('m', src.m, '*'), ('d', src.d, '*')) v(g, ps, dep), lateral (
            select distinct dimension, code from (
                select 'situation' as dimension, coalesce(src.situation, 'unknown') as code
                union all select 'outcome', src.outcome where src.status = 'completed' and src.outcome is not null
                union all select 'need', x from jsonb_array_elements_text(coalesce(src.needs, '[]'::jsonb)) x
                union all select 'decline-reason', x from jsonb_array_elements_text(coalesce(src.decline_reasons, '[]'::jsonb)) x
                    where src.status = 'declined') all_codes) c
        group by 1, 2, 3, 4, 5;
        insert into {{S}}.referral_month_delays (grain, period_start, departement, urgency, measure, bucket, n)
        select v.g, v.ps, v.dep, urgency, x.measure, x.bucket, count(*)
        from rollup_source src, lateral (values ('m', src.m, src.departement), ('m', src.m, '*'), ('d', src.d, '*')) v(g, ps, dep), lateral (
            select 'acknowledge' as measure, {{S}}.delay_bucket(src.acknowledged_at - src.sent_at) as bucket where src.acknowledged_at is not null
            union all select 'first-contact', {{S}}.delay_bucket(src.first_contact_at - src.sent_at) where src.first_contact_at is not null) x
        group by 1, 2, 3, 4, 5, 6;
        """;

    /// <summary>
    /// Stops the trigger during a rebuild or a bulk load (row-by-row upkeep would double their time);
    /// <see cref="ResumeAsync"/> recounts and restarts it.
    /// </summary>
    public static async Task SuspendAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"alter table {S}.mt_doc_referralfacts disable trigger referral_rollup");
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
        await using (var command = new NpgsqlCommand(
            $"lock table {S}.mt_doc_referralfacts in share row exclusive mode; {Recount} alter table {S}.mt_doc_referralfacts enable trigger referral_rollup;",
            connection, transaction) { CommandTimeout = 0 })
            await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// Creates or updates the tables and the trigger (after Marten created the facts table), then counts any facts
    /// stored before the trigger existed (an upgrade) by touching them.
    /// </summary>
    public static async Task EnsureAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // One instance at a time: two starting together would race on the DDL.
        await using (var command = new NpgsqlCommand("select pg_advisory_xact_lock(7310001)", connection, transaction))
            await command.ExecuteNonQueryAsync(ct);
        // Totals of another shape (another Version) are dropped, created again and recounted from the facts.
        string? version;
        await using (var command = new NpgsqlCommand(
            $"select obj_description(to_regclass('{S}.referral_months'), 'pg_class')", connection, transaction))
            version = await command.ExecuteScalarAsync(ct) as string;
        var recount = version != Version;
        if (recount)
            await using (var command = new NpgsqlCommand(
                $"drop table if exists {S}.referral_months, {S}.referral_month_codes, {S}.referral_month_delays, {S}.referral_rollup_keys cascade",
                connection, transaction))
                await command.ExecuteNonQueryAsync(ct);
        await using (var command = new NpgsqlCommand(Schema, connection, transaction))
            await command.ExecuteNonQueryAsync(ct);
        await using (var command = new NpgsqlCommand(recount
                ? $"{Recount} comment on table {S}.referral_months is '{Version}';"
                // Facts stored while the trigger did not exist yet are counted by touching them.
                : $"update {S}.mt_doc_referralfacts f set id = id where not exists (select 1 from {S}.referral_rollup_keys k where k.id = f.id)",
                connection, transaction) { CommandTimeout = 0 })
            await command.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }
}

/// <summary>Runs <see cref="ReferralMonthRollup.EnsureAsync"/> on start, after Marten applied its own schema.</summary>
public sealed class ReferralMonthRollupSetup(NpgsqlDataSource db, Marten.IDocumentStore store) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await ReferralMonthRollup.EnsureAsync(db, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
