using PublicHoliday;

namespace Coordination.ServiceDefaults.Calendar;

/// <summary>
/// The public holidays of a département, from the PublicHoliday package: the national days everywhere, plus Good
/// Friday and 26 December in Moselle, Bas-Rhin and Haut-Rhin (local law of Alsace-Moselle), plus the abolition of
/// slavery in each overseas département (Guadeloupe 27 May, Martinique 22 May, Guyane 10 June, La Réunion 20 December,
/// Mayotte 27 April). Shared by Referrals (working-day deadlines) and Notifications (the daily digest skips holidays).
/// </summary>
public static class FrenchPublicHolidays
{
    private static readonly IReadOnlyDictionary<string, FrancePublicHoliday.Regions> RegionOf = new Dictionary<string, FrancePublicHoliday.Regions>
    {
        ["57"] = FrancePublicHoliday.Regions.AlsaceMoselle,
        ["67"] = FrancePublicHoliday.Regions.AlsaceMoselle,
        ["68"] = FrancePublicHoliday.Regions.AlsaceMoselle,
        ["971"] = FrancePublicHoliday.Regions.Guadeloupe,
        ["972"] = FrancePublicHoliday.Regions.Martinique,
        ["973"] = FrancePublicHoliday.Regions.Guyane,
        ["974"] = FrancePublicHoliday.Regions.Reunion,
        ["976"] = FrancePublicHoliday.Regions.Mayotte,
    };

    /// <summary>True on a national public holiday, or a local one of <paramref name="departement"/> (INSEE code).</summary>
    /// <param name="departement">INSEE code; an empty or unknown code gives the national holidays only.</param>
    public static bool IsHoliday(DateOnly day, string departement)
    {
        // A calendar per call: the package caches per instance, and this keeps the policy free of shared mutable state.
        var calendar = new FrancePublicHoliday
        {
            Region = RegionOf.GetValueOrDefault(departement, FrancePublicHoliday.Regions.OnlyOfficial),
        };
        return calendar.IsPublicHoliday(day.ToDateTime(TimeOnly.MinValue));
    }
}
