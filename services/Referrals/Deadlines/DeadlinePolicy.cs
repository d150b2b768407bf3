using Coordination.ServiceDefaults.Calendar;

namespace Coordination.Referrals.Deadlines;

/// <summary>
/// How fast each urgency tier must be picked up, and when an unanswered referral expires. Configurable
/// (<c>Referrals:Deadlines</c>). Working days skip Saturdays, Sundays and the public holidays of the referral's
/// département (<see cref="FrenchPublicHolidays"/>), counted in Europe/Paris time.
/// </summary>
public sealed class DeadlineOptions
{
    public TierOptions Immediate { get; set; } = new() { AcknowledgeWithin = TimeSpan.FromHours(2), ExpireAfter = TimeSpan.FromDays(3) };
    public TierOptions Within24Hours { get; set; } = new() { AcknowledgeWithin = TimeSpan.FromHours(24), ExpireAfter = TimeSpan.FromDays(10) };
    public TierOptions Standard { get; set; } = new() { AcknowledgeWithinWorkingDays = 5, ExpireAfter = TimeSpan.FromDays(30) };

    /// <summary>How often the watcher looks for passed deadlines.</summary>
    public TimeSpan CheckEvery { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class TierOptions
{
    public TimeSpan? AcknowledgeWithin { get; set; }
    public int? AcknowledgeWithinWorkingDays { get; set; }
    public TimeSpan ExpireAfter { get; set; }
}

public sealed class DeadlinePolicy(DeadlineOptions options)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public (DateTimeOffset AcknowledgeBy, DateTimeOffset ExpiresAt) For(Urgency urgency, string departement, DateTimeOffset sentAt)
    {
        var tier = urgency switch
        {
            Urgency.Immediate => options.Immediate,
            Urgency.Within24Hours => options.Within24Hours,
            _ => options.Standard,
        };
        var acknowledgeBy = tier.AcknowledgeWithinWorkingDays is { } days
            ? AddWorkingDays(sentAt, days, departement)
            : sentAt + (tier.AcknowledgeWithin ?? TimeSpan.FromDays(1));
        return (acknowledgeBy, sentAt + tier.ExpireAfter);
    }

    public static DateTimeOffset AddWorkingDays(DateTimeOffset from, int days, string departement = "75")
    {
        var local = TimeZoneInfo.ConvertTime(from, Paris);
        var result = local;
        while (days > 0)
        {
            result = result.AddDays(1);
            if (result.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
                && !FrenchPublicHolidays.IsHoliday(DateOnly.FromDateTime(result.DateTime), departement))
                days--;
        }
        // Keep the wall-clock time in Paris across a daylight-saving change.
        var offset = Paris.GetUtcOffset(result.DateTime);
        return new DateTimeOffset(result.DateTime, offset).ToUniversalTime();
    }
}
