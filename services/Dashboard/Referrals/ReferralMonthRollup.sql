-- Monthly (and national daily) totals of hand-offs, all and per network, per organisation, and their current statuses
-- per département and day, kept by a trigger on the facts table in the same transaction as every change of a fact: the row's old
-- contribution is taken back and its new one added. Run on every start after ReferralRules.sql (see ReferralMonthRollup.EnsureAsync); everything here can be run again.

create table if not exists dashboard.referral_months (
    grain text not null, period_start date not null, departement text not null, network text not null, direction text not null,
    urgency text not null,
    sent int not null default 0, pending int not null default 0, accepted int not null default 0, declined int not null default 0,
    redirected int not null default 0, expired int not null default 0, withdrawn int not null default 0,
    acknowledged int not null default 0, in_time int not null default 0, closed_unacknowledged int not null default 0,
    contacted int not null default 0, overdue_waiting int not null default 0,
    -- The latest event of a hand-off counted here ("figures as of"): it only moves forward, as a hand-off's does.
    last_event_at timestamptz,
    primary key (grain, departement, network, period_start, direction, urgency));
create table if not exists dashboard.referral_month_codes (
    grain text not null, period_start date not null, departement text not null, network text not null, dimension text not null,
    code text not null, n int not null default 0, primary key (grain, departement, network, period_start, dimension, code));
create table if not exists dashboard.referral_month_delays (
    grain text not null, period_start date not null, departement text not null, network text not null, urgency text not null,
    measure text not null, bucket int not null, n int not null default 0,
    primary key (grain, departement, network, period_start, urgency, measure, bucket));
-- Hand-offs by their current status per département, month and day (the activity chart).
create table if not exists dashboard.referral_statuses (
    grain text not null, period_start date not null, departement text not null, network text not null, status text not null,
    n int not null default 0, last_event_at timestamptz, primary key (grain, network, period_start, departement, status));
-- The same monthly counts per organisation and side (referral_organisation_sides): an organisation's views read its
-- few dozen cells instead of its hand-offs. Delays are not kept here: an organisation's medians are exact, read from
-- its hand-offs (ReferralFigures.OrganisationDelayRows, through the indexes on either organisation).
create table if not exists dashboard.referral_organisation_months (
    organisation uuid not null, side text not null, period_start date not null, direction text not null,
    sent int not null default 0, pending int not null default 0, accepted int not null default 0, declined int not null default 0,
    redirected int not null default 0, expired int not null default 0, withdrawn int not null default 0,
    overdue_waiting int not null default 0, last_event_at timestamptz,
    primary key (organisation, side, period_start, direction));
create table if not exists dashboard.referral_organisation_codes (
    organisation uuid not null, side text not null, period_start date not null, dimension text not null, code text not null,
    n int not null default 0, primary key (organisation, side, period_start, dimension, code));
-- The organisations' kinds a hand-off was counted under, so that its old contribution is taken back exactly even if
-- an organisation's kind became known in between.
create table if not exists dashboard.referral_rollup_keys (id uuid primary key, sender_kind text, receiver_kind text);

-- Earlier versions applied each change of a fact at once, row by row (about 120 cells written per change, 4 ms).
drop function if exists dashboard.referral_rollup_apply(dashboard.mt_doc_referralfacts, int, text);
drop function if exists dashboard.referral_rollup_apply(dashboard.mt_doc_referralfacts, int, text, text);

-- A change of a fact is a contribution taken back (-1, as it was counted) and one added (+1, as it is now), kept here
-- until the end of its transaction, when they are summed per cell and applied at once (referral_rollup_flush): a
-- transaction that changes many facts (the inbox keeps a batch of messages in one) writes each total cell once, and not
-- at all where the changes cancel out (a status change leaves the situation's and needs' counts as they were). Rows
-- never outlive their transaction: the flush deletes them before it commits, and an aborted transaction's are
-- invisible. Unlogged: nothing in it survives a commit, so nothing is lost with it in a crash. Found by the transaction
-- that wrote them, through the index: a scan of the table would read every row deleted since the last vacuum.
create unlogged table if not exists dashboard.referral_rollup_pending (
    sign int not null, id uuid not null, sender_organisation_id uuid, receiver_organisation_id uuid, departement text, urgency text,
    status text, situation text, outcome text, overdue boolean, sent_at timestamptz, acknowledged_at timestamptz,
    acknowledge_by timestamptz, first_contact_at timestamptz, last_event_at timestamptz, needs jsonb, decline_reasons jsonb,
    sender_kind text, receiver_kind text, written_by xid8 not null default pg_current_xact_id());
create index if not exists referral_rollup_pending_written_by on dashboard.referral_rollup_pending (written_by);

-- Earlier versions wrote it in SQL (planned again at every call).
create or replace function dashboard.referral_rollup_defer(fact dashboard.mt_doc_referralfacts, sign int, sender_kind text, receiver_kind text)
returns void language plpgsql as $defer$
begin
    insert into dashboard.referral_rollup_pending (sign, id, sender_organisation_id, receiver_organisation_id, departement, urgency,
        status, situation, outcome, overdue, sent_at, acknowledged_at, acknowledge_by, first_contact_at, last_event_at, needs,
        decline_reasons, sender_kind, receiver_kind) values (sign, fact.id, fact.sender_organisation_id, fact.receiver_organisation_id,
        fact.departement, fact.urgency, fact.status, fact.situation, fact.outcome, fact.overdue, fact.sent_at, fact.acknowledged_at,
        fact.acknowledge_by, fact.first_contact_at, fact.last_event_at, fact.data->'needs', fact.data->'declineReasons',
        sender_kind, receiver_kind);
    perform set_config('dashboard.rollup_pending', 'yes', true);
end $defer$;

drop function if exists dashboard.referral_rollup_source();

-- The sums of the transaction's pending contributions, in one statement (the pending rows are read and deleted once),
-- written once per cell in the order of each total's key (two transactions lock shared cells in the same order: no
-- deadlock), with the rules of the recount (ReferralMonthRecount.sql). Codes and delays are netted per hand-off's
-- cells before they are spread over the periods: a change that leaves them as they were (most status changes) writes
-- none of their cells. The first firing at commit applies everything; the others find nothing to do.
create or replace function dashboard.referral_rollup_flush() returns trigger language plpgsql as $flush$
declare
    written bigint;
begin
    if coalesce(current_setting('dashboard.rollup_pending', true), '') <> 'yes' then
        return null;
    end if;
    perform set_config('dashboard.rollup_pending', 'no', true);

    with taken as (
        delete from dashboard.referral_rollup_pending where written_by = pg_current_xact_id() returning *
    ), source as (
        select taken.*, dashboard.referral_answer(taken.status) as answer,
               dashboard.referral_direction(taken.sender_kind, taken.receiver_kind) as direction
        from taken
    ), coded as (
        select source.sent_at, source.departement, source.sender_kind, source.receiver_kind, source.sender_organisation_id,
               source.receiver_organisation_id, counted.dimension, counted.code, sum(source.sign) as n
        from source, dashboard.referral_codes(source.status, source.situation, source.outcome, source.needs, source.decline_reasons) counted
        group by 1, 2, 3, 4, 5, 6, 7, 8 having sum(source.sign) <> 0
    ), delayed as (
        select source.sent_at, source.departement, source.sender_kind, source.receiver_kind, source.urgency, delay.measure,
               delay.bucket, sum(source.sign) as n
        from source, dashboard.referral_delays(source.sent_at, source.acknowledged_at, source.first_contact_at) delay
        group by 1, 2, 3, 4, 5, 6, 7 having sum(source.sign) <> 0
    ), months as (
        insert into dashboard.referral_months as total (grain, period_start, departement, network, direction, urgency, sent, pending,
            accepted, declined, redirected, expired, withdrawn, acknowledged, in_time, closed_unacknowledged, contacted, overdue_waiting,
            last_event_at)
        select cell.grain, cell.period_start, cell.departement, cell.network, source.direction, source.urgency, sum(sign),
               coalesce(sum(sign) filter (where answer = 'pending'), 0), coalesce(sum(sign) filter (where answer = 'accepted'), 0),
               coalesce(sum(sign) filter (where answer = 'declined'), 0), coalesce(sum(sign) filter (where answer = 'redirected'), 0),
               coalesce(sum(sign) filter (where answer = 'expired'), 0), coalesce(sum(sign) filter (where answer = 'withdrawn'), 0),
               coalesce(sum(sign) filter (where acknowledged_at is not null), 0),
               coalesce(sum(sign) filter (where dashboard.referral_acknowledged_in_time(acknowledged_at, acknowledge_by)), 0),
               coalesce(sum(sign) filter (where dashboard.referral_closed_unacknowledged(status, acknowledged_at)), 0),
               coalesce(sum(sign) filter (where first_contact_at is not null), 0),
               coalesce(sum(sign) filter (where dashboard.referral_overdue_waiting(status, overdue)), 0), max(source.last_event_at)
        from source, dashboard.referral_periods(source.sent_at, source.departement, source.sender_kind, source.receiver_kind) cell
        group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6
        on conflict (grain, departement, network, period_start, direction, urgency) do update set
            sent = total.sent + excluded.sent, pending = total.pending + excluded.pending, accepted = total.accepted + excluded.accepted,
            declined = total.declined + excluded.declined, redirected = total.redirected + excluded.redirected,
            expired = total.expired + excluded.expired, withdrawn = total.withdrawn + excluded.withdrawn,
            acknowledged = total.acknowledged + excluded.acknowledged, in_time = total.in_time + excluded.in_time,
            closed_unacknowledged = total.closed_unacknowledged + excluded.closed_unacknowledged,
            contacted = total.contacted + excluded.contacted, overdue_waiting = total.overdue_waiting + excluded.overdue_waiting,
            last_event_at = greatest(total.last_event_at, excluded.last_event_at)
        -- A cell whose counts do not move and whose date does not advance is not written again.
        where (excluded.sent, excluded.pending, excluded.accepted, excluded.declined, excluded.redirected, excluded.expired,
               excluded.withdrawn, excluded.acknowledged, excluded.in_time, excluded.closed_unacknowledged, excluded.contacted,
               excluded.overdue_waiting) is distinct from (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
           or excluded.last_event_at > total.last_event_at or total.last_event_at is null
        returning 1
    ), month_codes as (
        insert into dashboard.referral_month_codes as total (grain, period_start, departement, network, dimension, code, n)
        select cell.grain, cell.period_start, cell.departement, cell.network, coded.dimension, coded.code, sum(coded.n)
        from coded, dashboard.referral_periods(coded.sent_at, coded.departement, coded.sender_kind, coded.receiver_kind) cell
        group by 1, 2, 3, 4, 5, 6 having sum(coded.n) <> 0 order by 1, 2, 3, 4, 5, 6
        on conflict (grain, departement, network, period_start, dimension, code) do update set n = total.n + excluded.n
        returning 1
    ), month_delays as (
        insert into dashboard.referral_month_delays as total (grain, period_start, departement, network, urgency, measure, bucket, n)
        select cell.grain, cell.period_start, cell.departement, cell.network, delayed.urgency, delayed.measure, delayed.bucket, sum(delayed.n)
        from delayed, dashboard.referral_periods(delayed.sent_at, delayed.departement, delayed.sender_kind, delayed.receiver_kind) cell
        group by 1, 2, 3, 4, 5, 6, 7 having sum(delayed.n) <> 0 order by 1, 2, 3, 4, 5, 6, 7
        on conflict (grain, departement, network, period_start, urgency, measure, bucket) do update set n = total.n + excluded.n
        returning 1
    ), statuses as (
        insert into dashboard.referral_statuses as total (grain, period_start, departement, network, status, n, last_event_at)
        select cell.grain, cell.period_start, cell.departement, cell.network, source.status, sum(sign), max(source.last_event_at)
        from source, dashboard.referral_status_periods(source.sent_at, source.departement, source.sender_kind, source.receiver_kind) cell
        group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
        on conflict (grain, network, period_start, departement, status) do update set n = total.n + excluded.n,
            last_event_at = greatest(total.last_event_at, excluded.last_event_at)
        where excluded.n <> 0 or excluded.last_event_at > total.last_event_at or total.last_event_at is null
        returning 1
    ), organisation_months as (
        insert into dashboard.referral_organisation_months as total (organisation, side, period_start, direction, sent, pending, accepted,
            declined, redirected, expired, withdrawn, overdue_waiting, last_event_at)
        select cell.organisation, cell.side, cell.period_start, source.direction, sum(sign),
               coalesce(sum(sign) filter (where answer = 'pending'), 0), coalesce(sum(sign) filter (where answer = 'accepted'), 0),
               coalesce(sum(sign) filter (where answer = 'declined'), 0), coalesce(sum(sign) filter (where answer = 'redirected'), 0),
               coalesce(sum(sign) filter (where answer = 'expired'), 0), coalesce(sum(sign) filter (where answer = 'withdrawn'), 0),
               coalesce(sum(sign) filter (where dashboard.referral_overdue_waiting(status, overdue)), 0), max(source.last_event_at)
        from source,
             dashboard.referral_organisation_periods(source.sent_at, source.sender_organisation_id, source.receiver_organisation_id) cell
        group by 1, 2, 3, 4 order by 1, 2, 3, 4
        on conflict (organisation, side, period_start, direction) do update set
            sent = total.sent + excluded.sent, pending = total.pending + excluded.pending, accepted = total.accepted + excluded.accepted,
            declined = total.declined + excluded.declined, redirected = total.redirected + excluded.redirected,
            expired = total.expired + excluded.expired, withdrawn = total.withdrawn + excluded.withdrawn,
            overdue_waiting = total.overdue_waiting + excluded.overdue_waiting,
            last_event_at = greatest(total.last_event_at, excluded.last_event_at)
        where (excluded.sent, excluded.pending, excluded.accepted, excluded.declined, excluded.redirected, excluded.expired,
               excluded.withdrawn, excluded.overdue_waiting) is distinct from (0, 0, 0, 0, 0, 0, 0, 0)
           or excluded.last_event_at > total.last_event_at or total.last_event_at is null
        returning 1
    ), organisation_codes as (
        insert into dashboard.referral_organisation_codes as total (organisation, side, period_start, dimension, code, n)
        select cell.organisation, cell.side, cell.period_start, coded.dimension, coded.code, sum(coded.n)
        from coded,
             dashboard.referral_organisation_periods(coded.sent_at, coded.sender_organisation_id, coded.receiver_organisation_id) cell
        group by 1, 2, 3, 4, 5 having sum(coded.n) <> 0 order by 1, 2, 3, 4, 5
        on conflict (organisation, side, period_start, dimension, code) do update set n = total.n + excluded.n
        returning 1
    )
    -- Every data-modifying part runs to completion whether read or not.
    select count(*) into written from months;
    return null;
end $flush$;

create or replace function dashboard.referral_rollup() returns trigger language plpgsql as $rollup$
declare
    previous dashboard.referral_rollup_keys;
    sender_kind text;
    receiver_kind text;
begin
    if tg_op in ('UPDATE', 'DELETE') then
        delete from dashboard.referral_rollup_keys where id = old.id returning * into previous;
        if previous.id is not null then
            perform dashboard.referral_rollup_defer(old, -1, previous.sender_kind, previous.receiver_kind);
        end if;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.sent_at is not null and dashboard.referral_answer(new.status) is not null then
        select data->>'kind' into sender_kind from dashboard.mt_doc_participatingorganisation where id = new.sender_organisation_id;
        select data->>'kind' into receiver_kind from dashboard.mt_doc_participatingorganisation where id = new.receiver_organisation_id;
        perform dashboard.referral_rollup_defer(new, 1, sender_kind, receiver_kind);
        insert into dashboard.referral_rollup_keys (id, sender_kind, receiver_kind) values (new.id, sender_kind, receiver_kind);
    end if;
    return null;
end $rollup$;

-- A rebuild that truncates the facts empties the totals too; replay (or the recount) fills them again.
create or replace function dashboard.referral_rollup_reset() returns trigger language plpgsql as $reset$
begin
    truncate dashboard.referral_months, dashboard.referral_month_codes, dashboard.referral_month_delays, dashboard.referral_statuses,
        dashboard.referral_organisation_months, dashboard.referral_organisation_codes, dashboard.referral_rollup_keys;
    return null;
end $reset$;

drop trigger if exists referral_rollup on dashboard.mt_doc_referralfacts;
create trigger referral_rollup after insert or update or delete on dashboard.mt_doc_referralfacts
    for each row execute function dashboard.referral_rollup();
-- At commit, once the transaction's changes are all known (deferred): see referral_rollup_flush.
drop trigger if exists referral_rollup_flush on dashboard.referral_rollup_pending;
create constraint trigger referral_rollup_flush after insert on dashboard.referral_rollup_pending
    deferrable initially deferred for each row execute function dashboard.referral_rollup_flush();
drop trigger if exists referral_rollup_reset on dashboard.mt_doc_referralfacts;
create trigger referral_rollup_reset after truncate on dashboard.mt_doc_referralfacts
    for each statement execute function dashboard.referral_rollup_reset();
