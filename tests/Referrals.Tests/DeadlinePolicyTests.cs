using Coordination.Referrals;
using Coordination.Referrals.Deadlines;
using Coordination.ServiceDefaults.Calendar;
using Xunit;

namespace Coordination.Referrals.Tests;

public class DeadlinePolicyTests
{
    private readonly DeadlinePolicy policy = new(new DeadlineOptions());

    [Fact]
    public void Immediate_is_two_hours_and_24_hours_is_a_day()
    {
        var sent = new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal(sent.AddHours(2), policy.For(Urgency.Immediate, "93", sent).AcknowledgeBy);
        Assert.Equal(sent.AddDays(1), policy.For(Urgency.Within24Hours, "93", sent).AcknowledgeBy);
    }

    [Fact]
    public void Standard_counts_five_working_days_skipping_the_weekend()
    {
        // Friday 27 November 2026, 10:00 in Paris (09:00 UTC) → Friday 4 December, 10:00 in Paris.
        var friday = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), policy.For(Urgency.Standard, "93", friday).AcknowledgeBy);
    }

    [Fact]
    public void Working_days_keep_the_paris_wall_clock_across_a_time_change()
    {
        // Thursday 22 October 2026, 10:00 Paris summer time (08:00 UTC); clocks go back on Sunday 25 October.
        var thursday = new DateTimeOffset(2026, 10, 22, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 10, 29, 9, 0, 0, TimeSpan.Zero), DeadlinePolicy.AddWorkingDays(thursday, 5));
    }

    [Theory]
    // Thursday 2 April 2026, eve of the Easter weekend, 10:00 in Paris (08:00 UTC). Good Friday: holiday in the 67 only;
    // Easter Monday everywhere. Five working days later, 10:00 Paris time.
    [InlineData("93", 2026, 4, 10)]   // Fri 3, Tue 7, Wed 8, Thu 9, Fri 10
    [InlineData("75", 2026, 4, 10)]
    [InlineData("67", 2026, 4, 13)]   // Tue 7, Wed 8, Thu 9, Fri 10, Mon 13
    [InlineData("57", 2026, 4, 13)]
    [InlineData("68", 2026, 4, 13)]
    public void Sent_on_the_eve_of_easter_the_deadline_skips_the_holidays_of_the_departement(string departement, int year, int month, int day)
    {
        var thursday = new DateTimeOffset(2026, 4, 2, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(year, month, day, 8, 0, 0, TimeSpan.Zero), policy.For(Urgency.Standard, departement, thursday).AcknowledgeBy);
    }

    [Fact]
    public void Ascension_thursday_is_skipped_in_the_93()
    {
        // Wednesday 13 May 2026, 10:00 Paris: Thursday 14 is Ascension; Friday 15, Mon 18, Tue 19, Wed 20, Thu 21.
        var wednesday = new DateTimeOffset(2026, 5, 13, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 5, 21, 8, 0, 0, TimeSpan.Zero), policy.For(Urgency.Standard, "93", wednesday).AcknowledgeBy);
    }

    [Theory]
    [InlineData("57", 2026, 12, 26, true)]   // Saint-Étienne in Alsace-Moselle
    [InlineData("93", 2026, 12, 26, false)]
    [InlineData("67", 2027, 3, 26, true)]    // Good Friday 2027
    [InlineData("93", 2027, 3, 26, false)]
    [InlineData("971", 2026, 5, 27, true)]   // abolition of slavery: Guadeloupe
    [InlineData("972", 2026, 5, 22, true)]   // Martinique
    [InlineData("973", 2026, 6, 10, true)]   // Guyane
    [InlineData("974", 2026, 12, 20, true)]  // La Réunion
    [InlineData("976", 2026, 4, 27, true)]   // Mayotte
    [InlineData("93", 2026, 5, 27, false)]
    [InlineData("93", 2026, 7, 14, true)]    // national days everywhere
    [InlineData("971", 2026, 11, 11, true)]
    public void Each_departement_has_its_own_public_holidays(string departement, int year, int month, int day, bool holiday)
    {
        Assert.Equal(holiday, FrenchPublicHolidays.IsHoliday(new DateOnly(year, month, day), departement));
    }
}
