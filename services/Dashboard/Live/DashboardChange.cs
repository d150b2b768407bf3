namespace Coordination.Dashboard.Live;

/// <summary>The latest event the Dashboard has stored: its sequence number and when it was stored.</summary>
public sealed record DashboardChange(long Sequence, DateTimeOffset StoredAt);
