using Coordination.Notifications.Rules;
using Xunit;

namespace Coordination.Notifications.Tests;

/// <summary>The daily digest goes out at 08:00 Paris time on working days: not at weekends, not on public holidays.</summary>
public class DigestCalendarTests
{
    [Fact]
    public void Bastille_Day_is_skipped_the_digest_waits_for_the_next_morning()
    {
        // Monday 13 July 2026, 09:00 Paris: Tuesday 14 July is a holiday → Wednesday 15 July 08:00 Paris (06:00 UTC).
        var mondayAfterDigest = new DateTimeOffset(2026, 7, 13, 7, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 7, 15, 6, 0, 0, TimeSpan.Zero), ParisTime.NextDigest(mondayAfterDigest));
    }

    [Fact]
    public void Christmas_on_a_Friday_sends_the_digest_to_Monday()
    {
        // Thursday 24 December 2026, 10:00 Paris → Friday 25 (holiday), weekend → Monday 28 December 08:00 Paris (07:00 UTC).
        var christmasEve = new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 28, 7, 0, 0, TimeSpan.Zero), ParisTime.NextDigest(christmasEve));
    }

    [Fact]
    public void Easter_Monday_is_skipped_Good_Friday_is_not_a_national_holiday()
    {
        // Friday 26 March 2027, 09:00 Paris → weekend, Easter Monday 29 March → Tuesday 30 March 08:00 Paris (06:00 UTC, summer time).
        var goodFridayAfterDigest = new DateTimeOffset(2027, 3, 26, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2027, 3, 30, 6, 0, 0, TimeSpan.Zero), ParisTime.NextDigest(goodFridayAfterDigest));
        // Thursday 25 March 2027, 09:00 Paris → Good Friday 26 March is a working day outside Alsace-Moselle (07:00 UTC).
        var thursdayAfterDigest = new DateTimeOffset(2027, 3, 25, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2027, 3, 26, 7, 0, 0, TimeSpan.Zero), ParisTime.NextDigest(thursdayAfterDigest));
    }

    [Theory]
    [InlineData(2026, 5, 1, false)]
    [InlineData(2026, 5, 8, false)]
    [InlineData(2026, 11, 11, false)]
    [InlineData(2026, 12, 26, false)]
    [InlineData(2026, 12, 7, true)]
    public void Working_days_are_weekdays_that_are_not_national_holidays(int year, int month, int day, bool working) =>
        Assert.Equal(working, ParisTime.IsWorkingDay(new DateOnly(year, month, day)));
}
