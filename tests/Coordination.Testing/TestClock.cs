namespace Coordination.Testing;

/// <summary>A clock the tests move by hand: deadlines, reminders and milestones are computed with it.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;
    public override DateTimeOffset GetUtcNow() => now;
    public void Advance(TimeSpan by) => now += by;
}
