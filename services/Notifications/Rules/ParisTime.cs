using Coordination.ServiceDefaults.Calendar;

namespace Coordination.Notifications.Rules;

/// <summary>People read times in Paris time; the store keeps UTC. Digests go out at 08:00 on working days.</summary>
public static class ParisTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    public static readonly TimeOnly DigestTime = new(8, 0);

    public static DateTime ToParis(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public static DateTimeOffset FromParis(DateTime local)
    {
        // A time skipped by the spring change (02:30) is moved one hour later; an ambiguous one takes the first.
        if (Zone.IsInvalidTime(local))
            local = local.AddHours(1);
        var offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
    }

    /// <summary>
    /// Monday to Friday, national public holidays excepted (<see cref="FrenchPublicHolidays"/>): no digest on 14 July.
    /// A person's organisation may cover several départements, so the local days (Alsace-Moselle, overseas) are not
    /// applied to the digest; Referrals applies them to a hand-off's deadline, which has one département.
    /// </summary>
    public static bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !FrenchPublicHolidays.IsHoliday(day, "");

    /// <summary>The first 08:00 on a working day that is not before <paramref name="now"/>.</summary>
    public static DateTimeOffset NextDigest(DateTimeOffset now)
    {
        var local = ToParis(now);
        var day = DateOnly.FromDateTime(local);
        if (TimeOnly.FromDateTime(local) > DigestTime)
            day = day.AddDays(1);
        while (!IsWorkingDay(day))
            day = day.AddDays(1);
        return FromParis(day.ToDateTime(DigestTime));
    }

    public static string Format(DateTimeOffset instant) =>
        ToParis(instant).ToString("dddd d MMMM yyyy 'à' HH'h'mm", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) + " (heure de Paris)";
}
