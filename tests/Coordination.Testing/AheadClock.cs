namespace Coordination.Testing;

/// <summary>
/// The real time, moved ahead by what a test asks: a service that must see a session as started (or a deadline as
/// passed) gets there at once, without the test sleeping and without betting on how long the steps before take.
/// </summary>
public sealed class AheadClock : TimeProvider
{
    private long aheadTicks;

    public TimeSpan Ahead => TimeSpan.FromTicks(Interlocked.Read(ref aheadTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Ahead;

    public void MoveAhead(TimeSpan by) => Interlocked.Add(ref aheadTicks, by.Ticks);
}
