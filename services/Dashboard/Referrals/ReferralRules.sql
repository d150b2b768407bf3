-- How a hand-off is grouped, each rule defined once: the monthly totals' trigger (ReferralMonthRollup.sql), their
-- recount (ReferralMonthRecount.sql) and the views that read the hand-offs themselves (ReferralFigures*.cs) all call
-- these functions, so the three ways of counting cannot drift apart. Immutable SQL functions: PostgreSQL inlines them.

-- Which way a hand-off went, from the kinds of its two organisations.
create or replace function dashboard.referral_direction(sender_kind text, receiver_kind text) returns text
immutable language sql as $rule$
    select case when sender_kind = 'iscg-post' and receiver_kind = 'victim-support-association' then 'iscg-to-association'
                when sender_kind = 'victim-support-association' and receiver_kind = 'iscg-post' then 'association-to-iscg'
                when receiver_kind = 'partner' then 'to-partner'
                when sender_kind = 'partner' then 'from-partner'
                else 'other' end
$rule$;

-- Where a hand-off stands as the answers count it: still waiting (pending), accepted (in progress and completed
-- included), or its closing status. Null for one entered in error: it is never counted.
create or replace function dashboard.referral_answer(status text) returns text
immutable language sql as $rule$
    select case when status in ('sent', 'acknowledged', 'on-hold') then 'pending'
                when status in ('accepted', 'in-progress', 'completed') then 'accepted'
                when status = 'entered-in-error' then null
                else status end
$rule$;

-- Nobody has picked it up and its acknowledgement deadline has passed (reported once by Referrals).
create or replace function dashboard.referral_overdue_waiting(status text, overdue boolean) returns boolean
immutable language sql as $rule$
    select status = 'sent' and overdue
$rule$;

-- Closed (expired or withdrawn by its sender) without anybody acknowledging it.
create or replace function dashboard.referral_closed_unacknowledged(status text, acknowledged_at timestamptz) returns boolean
immutable language sql as $rule$
    select acknowledged_at is null and status in ('expired', 'withdrawn')
$rule$;

-- Acknowledged before its deadline.
create or replace function dashboard.referral_acknowledged_in_time(acknowledged_at timestamptz, acknowledge_by timestamptz) returns boolean
immutable language sql as $rule$
    select coalesce(acknowledged_at <= acknowledge_by, false)
$rule$;

-- Whether it is known if the deadline was kept: acknowledged, closed unacknowledged, or still waiting past it.
create or replace function dashboard.referral_deadline_known(status text, acknowledged_at timestamptz, overdue boolean) returns boolean
immutable language sql as $rule$
    select acknowledged_at is not null or dashboard.referral_closed_unacknowledged(status, acknowledged_at)
        or dashboard.referral_overdue_waiting(status, overdue)
$rule$;

-- The networks a hand-off counts in: all ('*') and the kind of each of its two organisations, once each (a network
-- filter keeps a hand-off when either side is of that kind). An organisation whose kind is not known yet adds none.
create or replace function dashboard.referral_networks(sender_kind text, receiver_kind text) returns table (network text)
immutable language sql as $rule$
    select '*' union select kind from (values (sender_kind), (receiver_kind)) kinds(kind) where kind is not null
$rule$;

-- Earlier versions had no network (a return type cannot change in place).
drop function if exists dashboard.referral_periods(timestamptz, text);
-- The cells a hand-off counts in: its département's month, and for each of its networks the national month ('*')
-- and the national day (Paris time).
create or replace function dashboard.referral_periods(sent_at timestamptz, referral_departement text, sender_kind text, receiver_kind text)
returns table (grain text, period_start date, departement text, network text)
immutable language sql as $rule$
    select 'm', date_trunc('month', sent_at at time zone 'Europe/Paris')::date, referral_departement, '*'
    union all select 'm', date_trunc('month', sent_at at time zone 'Europe/Paris')::date, '*', networks.network
        from dashboard.referral_networks(sender_kind, receiver_kind) networks
    union all select 'd', (sent_at at time zone 'Europe/Paris')::date, '*', networks.network
        from dashboard.referral_networks(sender_kind, receiver_kind) networks
$rule$;

-- The cells a hand-off's current status counts in (the activity per département): its département's month and day,
-- for each of its networks.
create or replace function dashboard.referral_status_periods(sent_at timestamptz, referral_departement text, sender_kind text, receiver_kind text)
returns table (grain text, period_start date, departement text, network text)
immutable language sql as $rule$
    select 'm', date_trunc('month', sent_at at time zone 'Europe/Paris')::date, referral_departement, networks.network
        from dashboard.referral_networks(sender_kind, receiver_kind) networks
    union all select 'd', (sent_at at time zone 'Europe/Paris')::date, referral_departement, networks.network
        from dashboard.referral_networks(sender_kind, receiver_kind) networks
$rule$;

-- The organisations a hand-off counts for, and on which side: its sender ('sent'), its receiver ('received'), and each
-- of the two once ('*', what a view of one organisation counts: a hand-off it both sent and received is one person).
create or replace function dashboard.referral_organisation_sides(sender_organisation uuid, receiver_organisation uuid)
returns table (organisation uuid, side text)
immutable language sql as $rule$
    select sender_organisation, 'sent' union select receiver_organisation, 'received'
    union select sender_organisation, '*' union select receiver_organisation, '*'
$rule$;

-- The cells a hand-off counts in per organisation: its month (Paris time) for each of its organisations' sides.
create or replace function dashboard.referral_organisation_periods(sent_at timestamptz, sender_organisation uuid, receiver_organisation uuid)
returns table (period_start date, organisation uuid, side text)
immutable language sql as $rule$
    select date_trunc('month', sent_at at time zone 'Europe/Paris')::date, sides.organisation, sides.side
    from dashboard.referral_organisation_sides(sender_organisation, receiver_organisation) sides
$rule$;

-- The codes a hand-off is counted under, each once: its situation, its outcome once completed, its needs, and its
-- decline reasons while declined.
create or replace function dashboard.referral_codes(status text, situation text, outcome text, needs jsonb, decline_reasons jsonb)
returns table (dimension text, code text)
immutable language sql as $rule$
    select distinct dimension, code from (
        select 'situation' as dimension, coalesce(situation, 'unknown') as code
        union all select 'outcome', outcome where status = 'completed' and outcome is not null
        union all select 'need', need from jsonb_array_elements_text(coalesce(needs, '[]'::jsonb)) need
        union all select 'decline-reason', reason from jsonb_array_elements_text(coalesce(decline_reasons, '[]'::jsonb)) reason
            where status = 'declined') codes
$rule$;

-- Earlier versions named its parameter otherwise (a name cannot change in place).
drop function if exists dashboard.delay_bucket(interval);
-- Delays are kept as counts per logarithmic bucket: bucket b holds [1.25^b, 1.25^(b+1)) seconds.
create or replace function dashboard.delay_bucket(delay interval) returns int
immutable language sql as $rule$
    select least(80, greatest(0, floor(ln(greatest(extract(epoch from delay), 1)) / ln(1.25))::int))
$rule$;

-- The delays a hand-off has: to its acknowledgement and to the first contact, once they happened.
create or replace function dashboard.referral_delays(sent_at timestamptz, acknowledged_at timestamptz, first_contact_at timestamptz)
returns table (measure text, bucket int)
immutable language sql as $rule$
    select 'acknowledge', dashboard.delay_bucket(acknowledged_at - sent_at) where acknowledged_at is not null
    union all select 'first-contact', dashboard.delay_bucket(first_contact_at - sent_at) where first_contact_at is not null
$rule$;
