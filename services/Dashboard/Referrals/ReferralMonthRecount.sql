-- The same totals the trigger keeps (ReferralMonthRollup.sql), counted at once from every fact with the same rules
-- (ReferralRules.sql): after a rebuild or a bulk load run with the trigger suspended, and when the totals' version
-- changes. Run with the facts locked against writes. Each total is written in the order of its key, so that the cells
-- a view reads (one organisation's, the national ones) sit on a few pages.

truncate dashboard.referral_months, dashboard.referral_month_codes, dashboard.referral_month_delays, dashboard.referral_statuses,
    dashboard.referral_organisation_months, dashboard.referral_organisation_codes, dashboard.referral_rollup_keys;

-- One pass over the facts (with their organisations' kinds) that the totals then read.
create temp table rollup_source on commit drop as
    select fact.id, fact.sender_organisation_id, fact.receiver_organisation_id, fact.departement, fact.urgency, fact.status,
           fact.situation, fact.outcome, fact.overdue, fact.sent_at,
           fact.acknowledged_at, fact.acknowledge_by, fact.first_contact_at, fact.last_event_at,
           fact.data->'needs' as needs, fact.data->'declineReasons' as decline_reasons,
           dashboard.referral_answer(fact.status) as answer,
           sender.data->>'kind' as sender_kind, receiver.data->>'kind' as receiver_kind,
           dashboard.referral_direction(sender.data->>'kind', receiver.data->>'kind') as direction
    from dashboard.mt_doc_referralfacts fact
    left join dashboard.mt_doc_participatingorganisation sender on sender.id = fact.sender_organisation_id
    left join dashboard.mt_doc_participatingorganisation receiver on receiver.id = fact.receiver_organisation_id
    where fact.sent_at is not null and dashboard.referral_answer(fact.status) is not null;

insert into dashboard.referral_rollup_keys (id, sender_kind, receiver_kind) select id, sender_kind, receiver_kind from rollup_source;

insert into dashboard.referral_months (grain, period_start, departement, network, direction, urgency, sent, pending, accepted, declined,
    redirected, expired, withdrawn, acknowledged, in_time, closed_unacknowledged, contacted, overdue_waiting, last_event_at)
select cell.grain, cell.period_start, cell.departement, cell.network, source.direction, source.urgency, count(*),
       count(*) filter (where answer = 'pending'), count(*) filter (where answer = 'accepted'),
       count(*) filter (where answer = 'declined'), count(*) filter (where answer = 'redirected'),
       count(*) filter (where answer = 'expired'), count(*) filter (where answer = 'withdrawn'),
       count(acknowledged_at),
       count(*) filter (where dashboard.referral_acknowledged_in_time(acknowledged_at, acknowledge_by)),
       count(*) filter (where dashboard.referral_closed_unacknowledged(status, acknowledged_at)),
       count(first_contact_at),
       count(*) filter (where dashboard.referral_overdue_waiting(status, overdue)), max(source.last_event_at)
from rollup_source source, dashboard.referral_periods(source.sent_at, source.departement, source.sender_kind, source.receiver_kind) cell
group by 1, 2, 3, 4, 5, 6 order by 1, 3, 4, 2, 5, 6;

insert into dashboard.referral_month_codes (grain, period_start, departement, network, dimension, code, n)
select cell.grain, cell.period_start, cell.departement, cell.network, counted.dimension, counted.code, count(*)
from rollup_source source, dashboard.referral_periods(source.sent_at, source.departement, source.sender_kind, source.receiver_kind) cell,
     dashboard.referral_codes(source.status, source.situation, source.outcome, source.needs, source.decline_reasons) counted
group by 1, 2, 3, 4, 5, 6 order by 1, 3, 4, 2, 5, 6;

insert into dashboard.referral_month_delays (grain, period_start, departement, network, urgency, measure, bucket, n)
select cell.grain, cell.period_start, cell.departement, cell.network, source.urgency, delay.measure, delay.bucket, count(*)
from rollup_source source, dashboard.referral_periods(source.sent_at, source.departement, source.sender_kind, source.receiver_kind) cell,
     dashboard.referral_delays(source.sent_at, source.acknowledged_at, source.first_contact_at) delay
group by 1, 2, 3, 4, 5, 6, 7 order by 1, 3, 4, 2, 5, 6, 7;

insert into dashboard.referral_statuses (grain, period_start, departement, network, status, n, last_event_at)
select cell.grain, cell.period_start, cell.departement, cell.network, source.status, count(*), max(source.last_event_at)
from rollup_source source,
     dashboard.referral_status_periods(source.sent_at, source.departement, source.sender_kind, source.receiver_kind) cell
group by 1, 2, 3, 4, 5 order by 1, 4, 2, 3, 5;

insert into dashboard.referral_organisation_months (organisation, side, period_start, direction, sent, pending, accepted, declined,
    redirected, expired, withdrawn, overdue_waiting, last_event_at)
select cell.organisation, cell.side, cell.period_start, source.direction, count(*),
       count(*) filter (where answer = 'pending'), count(*) filter (where answer = 'accepted'),
       count(*) filter (where answer = 'declined'), count(*) filter (where answer = 'redirected'),
       count(*) filter (where answer = 'expired'), count(*) filter (where answer = 'withdrawn'),
       count(*) filter (where dashboard.referral_overdue_waiting(status, overdue)), max(source.last_event_at)
from rollup_source source,
     dashboard.referral_organisation_periods(source.sent_at, source.sender_organisation_id, source.receiver_organisation_id) cell
group by 1, 2, 3, 4 order by 1, 2, 3, 4;

insert into dashboard.referral_organisation_codes (organisation, side, period_start, dimension, code, n)
select cell.organisation, cell.side, cell.period_start, counted.dimension, counted.code, count(*)
from rollup_source source,
     dashboard.referral_organisation_periods(source.sent_at, source.sender_organisation_id, source.receiver_organisation_id) cell,
     dashboard.referral_codes(source.status, source.situation, source.outcome, source.needs, source.decline_reasons) counted
group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5;
