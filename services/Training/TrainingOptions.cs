namespace Coordination.Training;

public sealed class TrainingOptions
{
    /// <summary>Registration closes this long before the session starts.</summary>
    public TimeSpan RegistrationClosesBefore { get; set; } = TimeSpan.FromDays(2);
}
