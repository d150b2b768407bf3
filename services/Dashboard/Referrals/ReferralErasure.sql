-- When a person's data is erased in Referrals (ReferralPersonalDataErased), the Dashboard keeps of that hand-off only
-- what its totals need: organisations, département, urgency, where it stands, and the day it was sent. Its stored
-- events lose the situation, needs, minors flag, decline reasons, outcome and every time finer than the day (Paris
-- time); the facts projection drops the same attributes (ReferralFacts), so a rebuild by replay gives what the live
-- views show. Run on every start after Marten created its tables; everything here can be run again.

-- The start of an instant's day in Paris, as a JSON date (null stays null).
create or replace function dashboard.paris_day_start(instant jsonb) returns jsonb
immutable language sql as $erasure$
    select case when instant is null or instant = 'null'::jsonb then instant
                else to_jsonb(date_trunc('day', (instant #>> '{}')::timestamptz at time zone 'Europe/Paris') at time zone 'Europe/Paris') end
$erasure$;

-- A stored referral contract as it is kept once the person's data is erased.
create or replace function dashboard.referral_event_erased(event_type text, data jsonb) returns jsonb
immutable language sql as $erasure$
    select data || jsonb_build_object('occurredAt', dashboard.paris_day_start(data->'occurredAt'))
        || case event_type
               when 'referrals.ReferralSent' then jsonb_build_object('situation', 'erased', 'needs', '[]'::jsonb,
                   'minorsInvolved', false, 'acknowledgeBy', dashboard.paris_day_start(data->'acknowledgeBy'),
                   'expiresAt', dashboard.paris_day_start(data->'expiresAt'))
               when 'referrals.ReferralDeclined' then jsonb_build_object('reasons', '[]'::jsonb, 'declinedBy', 'erased')
               when 'referrals.ReferralFirstContactRecorded' then
                   jsonb_build_object('contactedAt', dashboard.paris_day_start(data->'contactedAt'))
               when 'referrals.ReferralCompleted' then jsonb_build_object('outcome', 'erased')
               when 'referrals.ReferralOverdue' then jsonb_build_object('deadline', dashboard.paris_day_start(data->'deadline'))
               else '{}'::jsonb end
$erasure$;

-- The erasure arrives: every event of that hand-off stored before it is rewritten, in the same transaction.
create or replace function dashboard.referral_erasure() returns trigger language plpgsql as $erasure$
begin
    update dashboard.mt_events
    set data = dashboard.referral_event_erased(type, data),
        timestamp = date_trunc('day', timestamp at time zone 'Europe/Paris') at time zone 'Europe/Paris'
    where stream_id = new.stream_id and seq_id <> new.seq_id and type like 'referrals.%';
    update dashboard.mt_streams
    set timestamp = date_trunc('day', timestamp at time zone 'Europe/Paris') at time zone 'Europe/Paris',
        created = date_trunc('day', created at time zone 'Europe/Paris') at time zone 'Europe/Paris'
    where id = new.stream_id;
    return null;
end $erasure$;

-- A message of that hand-off arriving after the erasure (late, or published again) is stored erased.
create or replace function dashboard.referral_erased_on_arrival() returns trigger language plpgsql as $erasure$
begin
    if exists (select 1 from dashboard.mt_events
               where stream_id = new.stream_id and type = 'referrals.ReferralPersonalDataErased') then
        new.data := dashboard.referral_event_erased(new.type, new.data);
    end if;
    return new;
end $erasure$;

drop trigger if exists referral_erasure on dashboard.mt_events;
create trigger referral_erasure after insert on dashboard.mt_events
    for each row when (new.type = 'referrals.ReferralPersonalDataErased') execute function dashboard.referral_erasure();
drop trigger if exists referral_erased_on_arrival on dashboard.mt_events;
create trigger referral_erased_on_arrival before insert on dashboard.mt_events
    for each row when (new.type like 'referrals.%' and new.type <> 'referrals.ReferralPersonalDataErased')
    execute function dashboard.referral_erased_on_arrival();
