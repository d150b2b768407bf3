using Coordination.Referrals;
using Coordination.Referrals.Deadlines;
using Xunit;

namespace Coordination.Referrals.Tests;

public class DeadlinePolicyTests
{
    private readonly DeadlinePolicy policy = new(new DeadlineOptions());

    [Fact]
    public void Immediate_is_two_hours_and_24_hours_is_a_day()
    {
        var sent = new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal(sent.AddHours(2), policy.For(Urgency.Immediate, sent).AcknowledgeBy);
        Assert.Equal(sent.AddDays(1), policy.For(Urgency.Within24Hours, sent).AcknowledgeBy);
    }

    [Fact]
    public void Standard_counts_five_working_days_skipping_the_weekend()
    {
        // Friday 27 November 2026, 10:00 in Paris (09:00 UTC) → Friday 4 December, 10:00 in Paris.
        var friday = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero), policy.For(Urgency.Standard, friday).AcknowledgeBy);
    }

    [Fact]
    public void Working_days_keep_the_paris_wall_clock_across_a_time_change()
    {
        // Thursday 22 October 2026, 10:00 Paris summer time (08:00 UTC); clocks go back on Sunday 25 October.
        var thursday = new DateTimeOffset(2026, 10, 22, 8, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 10, 29, 9, 0, 0, TimeSpan.Zero), DeadlinePolicy.AddWorkingDays(thursday, 5));
    }
}
