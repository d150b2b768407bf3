namespace Coordination.Training;

public sealed class TrainingOptions
{
    /// <summary>Registration closes this long before the session starts.</summary>
    public TimeSpan RegistrationClosesBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The registered are reminded this long before the session starts.</summary>
    public TimeSpan RemindBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the reminder watcher looks for sessions about to start.</summary>
    public TimeSpan ReminderScanInterval { get; set; } = TimeSpan.FromMinutes(1);
}
