using Coordination.Contracts.Projects;
using Coordination.Contracts.Referrals;
using Coordination.Notifications.Audience;
using Coordination.Notifications.Preferences;
using Coordination.Notifications.Rotas;
using Coordination.Notifications.Rules;
using Xunit;

namespace Coordination.Notifications.Tests;

/// <summary>The rules table of services/Notifications/README.md, row by row, as pure functions.</summary>
public class RulesTableTests
{
    private static readonly Guid Sender = Guid.NewGuid(), Receiver = Guid.NewGuid(), Collector = Guid.NewGuid();
    // Tuesday 8 December 2026, 23:00 in Paris (22:00 UTC).
    private static readonly DateTimeOffset TuesdayNight = new(2026, 12, 8, 22, 0, 0, TimeSpan.Zero);

    private static Member Staff(string userId, Guid organisation, bool manager = false, bool active = true) =>
        new(Guid.NewGuid(), userId, "association_staff", organisation, manager, active, userId + "@exemple.test", null, 1, 1, 1, 1);

    private static readonly Member[] People =
    [
        Staff("aav-1", Receiver), Staff("aav-2", Receiver), Staff("aav-manager", Receiver, manager: true),
        Staff("aav-gone", Receiver, active: false), Staff("iscg-1", Sender), Staff("chrs-1", Collector),
    ];

    private static ReferralSent Sent(string urgency) => new(Guid.NewGuid(), Sender, Receiver, "93", urgency, "intrafamily-violence",
        ["logement"], false, false, TuesdayNight.AddHours(2), TuesdayNight.AddDays(30), null, 3, TuesdayNight);

    private static IReadOnlyList<Recipient> Told(Alert alert, OnCallRota? rota = null) =>
        Recipients.Resolve(alert.Audiences, People, o => o == Receiver ? rota : null, TuesdayNight);

    private static OnCallRota WeekdayEvenings(params string[] userIds) => new(Guid.NewGuid(), Receiver,
        [new OnCallSlot([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday],
            new TimeOnly(18, 0), new TimeOnly(8, 0), userIds)]);

    [Theory]
    [InlineData("immediate")]
    [InlineData("within-24-hours")]
    public void An_urgent_hand_off_goes_to_the_receivers_on_call_people_only(string urgency)
    {
        var alert = NotificationRules.Decide(Sent(urgency), _ => null)!;

        Assert.Equal(Category.UrgentReferral, alert.Category);
        var told = Told(alert, WeekdayEvenings("aav-2"));
        Assert.Equal(["aav-2"], told.Select(r => r.UserId));
        Assert.True(told[0].OnCall);
    }

    [Fact]
    public void An_urgent_hand_off_without_a_rota_goes_to_every_active_staff_member()
    {
        var told = Told(NotificationRules.Decide(Sent("immediate"), _ => null)!);

        Assert.Equal(["aav-1", "aav-2", "aav-manager"], told.Select(r => r.UserId));
    }

    [Fact]
    public void An_urgent_hand_off_during_a_gap_in_the_rota_still_reaches_the_staff()
    {
        var daytimeOnly = new OnCallRota(Guid.NewGuid(), Receiver,
            [new OnCallSlot([DayOfWeek.Tuesday], new TimeOnly(9, 0), new TimeOnly(17, 0), ["aav-1"])]);

        var told = Told(NotificationRules.Decide(Sent("immediate"), _ => null)!, daytimeOnly);

        Assert.Equal(["aav-1", "aav-2", "aav-manager"], told.Select(r => r.UserId));
    }

    [Fact]
    public void A_standard_hand_off_goes_to_the_receiving_staff_per_their_preference()
    {
        var alert = NotificationRules.Decide(Sent("standard"), _ => null)!;

        Assert.Equal(Category.ReferralReceived, alert.Category);
        Assert.Equal(["aav-1", "aav-2", "aav-manager"], Told(alert, WeekdayEvenings("aav-2")).Select(r => r.UserId));
    }

    [Fact]
    public void An_overdue_hand_off_goes_to_the_receivers_manager_and_on_call_people_and_to_the_sender()
    {
        var overdue = new ReferralOverdue(Guid.NewGuid(), Sender, Receiver, "93", "immediate", TuesdayNight, 4, TuesdayNight);

        var alert = NotificationRules.Decide(overdue, _ => null)!;

        Assert.Equal(Category.ReferralOverdue, alert.Category);
        Assert.Equal(["aav-2", "aav-manager", "iscg-1"], Told(alert, WeekdayEvenings("aav-2")).Select(r => r.UserId));
    }

    [Fact]
    public void Answers_go_to_the_sender_and_declines_and_expiries_skip_the_digest()
    {
        var id = Guid.NewGuid();
        var accepted = NotificationRules.Decide(new ReferralAccepted(id, Sender, Receiver, "93", "standard", 4, TuesdayNight), _ => null)!;
        var declined = NotificationRules.Decide(new ReferralDeclined(id, Sender, Receiver, "93", "standard", ["no-capacity"], "organisation", 4, TuesdayNight), _ => null)!;
        var expired = NotificationRules.Decide(new ReferralExpired(id, Sender, Receiver, "93", "standard", 4, TuesdayNight), _ => null)!;
        var completed = NotificationRules.Decide(new ReferralCompleted(id, Sender, Receiver, "93", "standard", "helped", 4, TuesdayNight), _ => null)!;

        foreach (var alert in new[] { accepted, declined, expired, completed })
            Assert.Equal(["iscg-1"], Told(alert).Select(r => r.UserId));
        Assert.False(accepted.AtOnce);
        Assert.True(declined.AtOnce);
        Assert.True(expired.AtOnce);
        Assert.Equal(["no-capacity"], declined.Subject.Codes);
        Assert.Equal(["helped"], completed.Subject.Codes);
    }

    [Fact]
    public void A_redirection_tells_the_sender_and_names_the_collecting_organisation()
    {
        var redirected = new ReferralRedirected(Guid.NewGuid(), Sender, Receiver, "93", "standard", Guid.NewGuid(), Collector, 5, TuesdayNight);

        var alert = NotificationRules.Decide(redirected, _ => null)!;

        Assert.Equal(["iscg-1"], Told(alert).Select(r => r.UserId));
        Assert.Equal(Collector, alert.Subject.OtherOrganisationId);
    }

    [Fact]
    public void A_message_is_told_to_the_other_party()
    {
        var id = Guid.NewGuid();
        var fromReceiver = new ReferralMessagePosted(id, Sender, Receiver, "93", "standard", Guid.NewGuid(), Receiver, 6, TuesdayNight);
        var fromSender = new ReferralMessagePosted(id, Sender, Receiver, "93", "standard", Guid.NewGuid(), Sender, 7, TuesdayNight);

        Assert.Equal(["iscg-1"], Told(NotificationRules.Decide(fromReceiver, _ => null)!).Select(r => r.UserId));
        Assert.Equal(["aav-1", "aav-2", "aav-manager"], Told(NotificationRules.Decide(fromSender, _ => null)!).Select(r => r.UserId));
    }

    [Fact]
    public void Project_moments_go_to_the_lead_organisation_and_nobody_when_it_is_unknown()
    {
        var project = Guid.NewGuid();
        var overdue = new ProjectMilestoneOverdue(project, Guid.NewGuid(), new DateOnly(2026, 12, 1), 9, TuesdayNight);
        var answered = new SupportRequestAnswered(Guid.NewGuid(), project, "legal-question", 5.5, 2, TuesdayNight);

        Assert.Equal(["iscg-1"], Told(NotificationRules.Decide(overdue, p => p == project ? Sender : null)!).Select(r => r.UserId));
        Assert.Equal(["iscg-1"], Told(NotificationRules.Decide(answered, p => p == project ? Sender : null)!).Select(r => r.UserId));
        Assert.Null(NotificationRules.Decide(overdue, _ => null));
    }

    [Fact]
    public void Moments_nobody_needs_to_hear_about_tell_nobody()
    {
        Assert.Null(NotificationRules.Decide(new ReferralAcknowledged(Guid.NewGuid(), Sender, Receiver, "93", "standard", 4, TuesdayNight), _ => null));
        Assert.Null(NotificationRules.Decide(new ReferralWithdrawn(Guid.NewGuid(), Sender, Receiver, "93", "standard", 4, TuesdayNight), _ => null));
    }
}

public class SchedulingTests
{
    private static readonly Guid Receiver = Guid.NewGuid();
    // Tuesday 8 December 2026, 23:00 in Paris.
    private static readonly DateTimeOffset TuesdayNight = new(2026, 12, 8, 22, 0, 0, TimeSpan.Zero);
    // Friday 11 December 2026, 10:00 in Paris.
    private static readonly DateTimeOffset FridayMorning = new(2026, 12, 11, 9, 0, 0, TimeSpan.Zero);

    private static Alert Alert(Category category, bool atOnce = false) =>
        new("x", category, [], new AlertSubject("referral", Guid.NewGuid()), atOnce);

    private static NotificationPreferences Prefs(Category category, DeliveryMode mode, QuietHours? quiet = null) =>
        new(Guid.NewGuid(), "u", [new CategoryPreference(category, mode)], quiet);

    [Fact]
    public void Urgent_alerts_go_at_once_even_when_turned_off_and_in_quiet_hours()
    {
        var prefs = new NotificationPreferences(Guid.NewGuid(), "u",
            [new CategoryPreference(Category.UrgentReferral, DeliveryMode.Off), new CategoryPreference(Category.ReferralOverdue, DeliveryMode.DailyDigest)],
            new QuietHours(new TimeOnly(21, 0), new TimeOnly(7, 0)));

        Assert.Equal(new DeliveryPlan(DeliveryMode.Immediate, TuesdayNight), Recipients.Schedule(Alert(Category.UrgentReferral), prefs, TuesdayNight));
        Assert.Equal(new DeliveryPlan(DeliveryMode.Immediate, TuesdayNight), Recipients.Schedule(Alert(Category.ReferralOverdue), prefs, TuesdayNight));
    }

    [Fact]
    public void Quiet_hours_hold_a_non_urgent_e_mail_until_they_end_in_Paris_time()
    {
        var prefs = Prefs(Category.ReferralAnswered, DeliveryMode.Immediate, new QuietHours(new TimeOnly(21, 0), new TimeOnly(7, 30)));

        var plan = Recipients.Schedule(Alert(Category.ReferralAnswered), prefs, TuesdayNight);

        // Wednesday 07:30 Paris = 06:30 UTC in winter.
        Assert.Equal(new DeliveryPlan(DeliveryMode.Immediate, new DateTimeOffset(2026, 12, 9, 6, 30, 0, TimeSpan.Zero)), plan);
    }

    [Fact]
    public void The_daily_digest_goes_at_08_00_Paris_on_the_next_working_day()
    {
        var prefs = Prefs(Category.ReferralReceived, DeliveryMode.DailyDigest);

        Assert.Equal(new DateTimeOffset(2026, 12, 9, 7, 0, 0, TimeSpan.Zero), Recipients.Schedule(Alert(Category.ReferralReceived), prefs, TuesdayNight).DueAt);
        // Friday after 08:00 → Monday 14 December 08:00.
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 7, 0, 0, TimeSpan.Zero), Recipients.Schedule(Alert(Category.ReferralReceived), prefs, FridayMorning).DueAt);
    }

    [Fact]
    public void In_summer_the_digest_is_at_08_00_Paris_which_is_06_00_UTC()
    {
        var mondayEarly = new DateTimeOffset(2026, 7, 6, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 7, 6, 6, 0, 0, TimeSpan.Zero), ParisTime.NextDigest(mondayEarly));
    }

    [Fact]
    public void A_decline_skips_the_digest_but_off_stays_off()
    {
        Assert.Equal(DeliveryMode.Immediate,
            Recipients.Schedule(Alert(Category.ReferralAnswered, atOnce: true), Prefs(Category.ReferralAnswered, DeliveryMode.DailyDigest), TuesdayNight).Mode);
        Assert.Equal(DeliveryMode.Off,
            Recipients.Schedule(Alert(Category.ReferralAnswered, atOnce: true), Prefs(Category.ReferralAnswered, DeliveryMode.Off), TuesdayNight).Mode);
    }

    [Fact]
    public void A_night_slot_covers_the_evening_and_the_next_morning()
    {
        var slot = new OnCallSlot([DayOfWeek.Friday], new TimeOnly(18, 0), new TimeOnly(8, 0), ["a"]);

        Assert.True(slot.Covers(new DateTime(2026, 12, 11, 23, 0, 0)));  // Friday 23:00
        Assert.True(slot.Covers(new DateTime(2026, 12, 12, 7, 59, 0)));  // Saturday 07:59
        Assert.False(slot.Covers(new DateTime(2026, 12, 12, 8, 0, 0)));  // Saturday 08:00
        Assert.False(slot.Covers(new DateTime(2026, 12, 11, 7, 0, 0)));  // Friday morning belongs to Thursday's slot
        Assert.Equal(Receiver, new OnCallRota(Guid.NewGuid(), Receiver, [slot]).OrganisationId);
    }
}
