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

-- Earlier versions took the direction alone (a signature cannot change in place).
drop function if exists dashboard.referral_rollup_apply(dashboard.mt_doc_referralfacts, int, text);

create or replace function dashboard.referral_rollup_apply(fact dashboard.mt_doc_referralfacts, sign int, sender_kind text, receiver_kind text)
returns void language plpgsql as $apply$
declare
    answer text := dashboard.referral_answer(fact.status);
begin
    insert into dashboard.referral_months as total (grain, period_start, departement, network, direction, urgency, sent, pending,
        accepted, declined, redirected, expired, withdrawn, acknowledged, in_time, closed_unacknowledged, contacted, overdue_waiting,
        last_event_at)
    select cell.grain, cell.period_start, cell.departement, cell.network, dashboard.referral_direction(sender_kind, receiver_kind),
        fact.urgency, sign,
        case when answer = 'pending' then sign else 0 end, case when answer = 'accepted' then sign else 0 end,
        case when answer = 'declined' then sign else 0 end, case when answer = 'redirected' then sign else 0 end,
        case when answer = 'expired' then sign else 0 end, case when answer = 'withdrawn' then sign else 0 end,
        case when fact.acknowledged_at is not null then sign else 0 end,
        case when dashboard.referral_acknowledged_in_time(fact.acknowledged_at, fact.acknowledge_by) then sign else 0 end,
        case when dashboard.referral_closed_unacknowledged(fact.status, fact.acknowledged_at) then sign else 0 end,
        case when fact.first_contact_at is not null then sign else 0 end,
        case when dashboard.referral_overdue_waiting(fact.status, fact.overdue) then sign else 0 end, fact.last_event_at
    from dashboard.referral_periods(fact.sent_at, fact.departement, sender_kind, receiver_kind) cell
    -- Always the same order, so that two transactions lock shared rows in the same order (no deadlock).
    order by 1, 2, 3, 4
    on conflict (grain, departement, network, period_start, direction, urgency) do update set
        sent = total.sent + excluded.sent, pending = total.pending + excluded.pending, accepted = total.accepted + excluded.accepted,
        declined = total.declined + excluded.declined, redirected = total.redirected + excluded.redirected,
        expired = total.expired + excluded.expired, withdrawn = total.withdrawn + excluded.withdrawn,
        acknowledged = total.acknowledged + excluded.acknowledged, in_time = total.in_time + excluded.in_time,
        closed_unacknowledged = total.closed_unacknowledged + excluded.closed_unacknowledged,
        contacted = total.contacted + excluded.contacted, overdue_waiting = total.overdue_waiting + excluded.overdue_waiting,
        last_event_at = greatest(total.last_event_at, excluded.last_event_at);

    insert into dashboard.referral_month_codes as total (grain, period_start, departement, network, dimension, code, n)
    select cell.grain, cell.period_start, cell.departement, cell.network, counted.dimension, counted.code, sign
    from dashboard.referral_periods(fact.sent_at, fact.departement, sender_kind, receiver_kind) cell,
         dashboard.referral_codes(fact.status, fact.situation, fact.outcome, fact.data->'needs', fact.data->'declineReasons') counted
    order by 1, 2, 3, 4, 5, 6
    on conflict (grain, departement, network, period_start, dimension, code) do update set n = total.n + excluded.n;

    insert into dashboard.referral_month_delays as total (grain, period_start, departement, network, urgency, measure, bucket, n)
    select cell.grain, cell.period_start, cell.departement, cell.network, fact.urgency, delay.measure, delay.bucket, sign
    from dashboard.referral_periods(fact.sent_at, fact.departement, sender_kind, receiver_kind) cell,
         dashboard.referral_delays(fact.sent_at, fact.acknowledged_at, fact.first_contact_at) delay
    order by 1, 2, 3, 4, 6, 7
    on conflict (grain, departement, network, period_start, urgency, measure, bucket) do update set n = total.n + excluded.n;

    insert into dashboard.referral_statuses as total (grain, period_start, departement, network, status, n, last_event_at)
    select cell.grain, cell.period_start, cell.departement, cell.network, fact.status, sign, fact.last_event_at
    from dashboard.referral_status_periods(fact.sent_at, fact.departement, sender_kind, receiver_kind) cell
    order by 1, 2, 3, 4
    on conflict (grain, network, period_start, departement, status) do update set n = total.n + excluded.n,
        last_event_at = greatest(total.last_event_at, excluded.last_event_at);

    insert into dashboard.referral_organisation_months as total (organisation, side, period_start, direction, sent, pending, accepted,
        declined, redirected, expired, withdrawn, overdue_waiting, last_event_at)
    select cell.organisation, cell.side, cell.period_start, dashboard.referral_direction(sender_kind, receiver_kind), sign,
        case when answer = 'pending' then sign else 0 end, case when answer = 'accepted' then sign else 0 end,
        case when answer = 'declined' then sign else 0 end, case when answer = 'redirected' then sign else 0 end,
        case when answer = 'expired' then sign else 0 end, case when answer = 'withdrawn' then sign else 0 end,
        case when dashboard.referral_overdue_waiting(fact.status, fact.overdue) then sign else 0 end, fact.last_event_at
    from dashboard.referral_organisation_periods(fact.sent_at, fact.sender_organisation_id, fact.receiver_organisation_id) cell
    order by 1, 2, 3
    on conflict (organisation, side, period_start, direction) do update set
        sent = total.sent + excluded.sent, pending = total.pending + excluded.pending, accepted = total.accepted + excluded.accepted,
        declined = total.declined + excluded.declined, redirected = total.redirected + excluded.redirected,
        expired = total.expired + excluded.expired, withdrawn = total.withdrawn + excluded.withdrawn,
        overdue_waiting = total.overdue_waiting + excluded.overdue_waiting,
        last_event_at = greatest(total.last_event_at, excluded.last_event_at);

    insert into dashboard.referral_organisation_codes as total (organisation, side, period_start, dimension, code, n)
    select cell.organisation, cell.side, cell.period_start, counted.dimension, counted.code, sign
    from dashboard.referral_organisation_periods(fact.sent_at, fact.sender_organisation_id, fact.receiver_organisation_id) cell,
         dashboard.referral_codes(fact.status, fact.situation, fact.outcome, fact.data->'needs', fact.data->'declineReasons') counted
    order by 1, 2, 3, 4, 5
    on conflict (organisation, side, period_start, dimension, code) do update set n = total.n + excluded.n;
end $apply$;

create or replace function dashboard.referral_rollup() returns trigger language plpgsql as $rollup$
declare
    previous dashboard.referral_rollup_keys;
    sender_kind text;
    receiver_kind text;
begin
    if tg_op in ('UPDATE', 'DELETE') then
        delete from dashboard.referral_rollup_keys where id = old.id returning * into previous;
        if previous.id is not null then
            perform dashboard.referral_rollup_apply(old, -1, previous.sender_kind, previous.receiver_kind);
        end if;
    end if;
    if tg_op in ('INSERT', 'UPDATE') and new.sent_at is not null and dashboard.referral_answer(new.status) is not null then
        select data->>'kind' into sender_kind from dashboard.mt_doc_participatingorganisation where id = new.sender_organisation_id;
        select data->>'kind' into receiver_kind from dashboard.mt_doc_participatingorganisation where id = new.receiver_organisation_id;
        perform dashboard.referral_rollup_apply(new, 1, sender_kind, receiver_kind);
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
drop trigger if exists referral_rollup_reset on dashboard.mt_doc_referralfacts;
create trigger referral_rollup_reset after truncate on dashboard.mt_doc_referralfacts
    for each statement execute function dashboard.referral_rollup_reset();
