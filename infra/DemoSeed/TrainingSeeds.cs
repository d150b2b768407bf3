using System.Globalization;
using System.Text.RegularExpressions;

namespace Coordination.DemoSeed;

public enum TrainingAudience { IscgWorkers, AssociationStaff, Both, Partners }

public enum TrainingFormat { InPerson, Remote, Hybrid }

public enum TrainerNetwork { Aniscg, FranceVictimes, Partners }

public enum InterventionKind { PresentationToPolice, JointCaseReview, Colloquium, AwarenessSession, Other }

/// <summary>
/// training.json: the catalogue modules, the upcoming sessions and the joint interventions of the demo, and the
/// coordinator account that publishes and schedules them. The Training API creates ids itself, so nothing here has an
/// id: the seeder recognises what a previous run created by its content (see <see cref="TrainingSeeder"/>).
/// </summary>
public sealed record TrainingSeed(
    string Coordinator, IReadOnlyList<ModuleSeed> Modules, IReadOnlyList<SessionSeed> Sessions, IReadOnlyList<InterventionSeed> Interventions);

/// <summary>
/// A catalogue module: the body of <c>POST /api/training/modules</c>, recognised by its title. <see cref="Revision"/>
/// (the fields that change, the title never does) is then published as version 2 (<c>PUT</c>);
/// <see cref="RetirementReason"/> takes the module out of the catalogue.
/// </summary>
public sealed record ModuleSeed(
    string Title, string Objectives, TrainingAudience Audience, int DurationMinutes, TrainingFormat Format, IReadOnlyList<Guid> CoDesignedBy,
    ModuleRevisionSeed? Revision = null, string? RetirementReason = null)
{
    public ModuleBody ToRequest() => new(Title, Objectives, Audience, DurationMinutes, Format, CoDesignedBy);

    public ModuleBody? RevisedRequest() => Revision is not { } r ? null : new(Title, r.Objectives ?? Objectives, r.Audience ?? Audience,
        r.DurationMinutes ?? DurationMinutes, r.Format ?? Format, r.CoDesignedBy ?? CoDesignedBy);
}

public sealed record ModuleRevisionSeed(
    string? Objectives = null, TrainingAudience? Audience = null, int? DurationMinutes = null, TrainingFormat? Format = null,
    IReadOnlyList<Guid>? CoDesignedBy = null);

/// <summary>Exactly the fields of <c>POST/PUT /api/training/modules</c>: the API refuses unknown ones.</summary>
public sealed record ModuleBody(
    string Title, string Objectives, TrainingAudience Audience, int DurationMinutes, TrainingFormat Format, IReadOnlyList<Guid> CoDesignedBy);

/// <summary>
/// An upcoming session of the module titled <see cref="Module"/>, on <see cref="Day"/> of the week
/// <see cref="WeeksAhead"/> weeks after the current one, from <see cref="StartTime"/> to <see cref="EndTime"/> (Paris
/// time, "HH:mm"). Then its registrations, in order (past the capacity they go to the waiting list), and its
/// cancellation if <see cref="CancellationReason"/> is given.
/// </summary>
public sealed record SessionSeed(
    string Module, int WeeksAhead, DayOfWeek Day, string StartTime, string EndTime, string Departement, IReadOnlyList<TrainerSeed> Trainers,
    int Capacity, string? Place = null, string? Link = null, bool OpenRegistration = true, IReadOnlyList<RegistrationSeed>? Registrations = null,
    string? CancellationReason = null)
{
    public IReadOnlyList<RegistrationSeed> RegistrationsOrNone => Registrations ?? [];
}

public sealed record TrainerSeed(string Name, TrainerNetwork Network, string? UserId = null);

/// <summary>
/// A demo account registers itself, or (<see cref="OnBehalf"/>) the coordinator registers it, with the name,
/// organisation and network of accounts.json.
/// </summary>
public sealed record RegistrationSeed(string Account, bool OnBehalf = false);

/// <summary>Exactly the fields of <c>POST /api/training/sessions</c>.</summary>
public sealed record SessionBody(
    Guid ModuleId, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string? Place, string? Link, string Departement,
    IReadOnlyList<TrainerSeed> Trainers, int Capacity, bool OpenRegistration);

/// <summary>Exactly the fields of <c>POST /api/training/sessions/{id}/registrations/on-behalf</c>.</summary>
public sealed record OnBehalfBody(string UserId, string Name, Guid OrganisationId, TrainerNetwork Network);

/// <summary>
/// A joint intervention, recorded by the demo account <see cref="RecordedBy"/> (the coordinator or staff of one of the
/// organisations), on <see cref="Day"/> of the month <see cref="MonthsAgo"/> months before the current one.
/// </summary>
public sealed record InterventionSeed(
    string RecordedBy, int MonthsAgo, int Day, string Departement, InterventionKind Kind, IReadOnlyList<Guid> OrganisationIds,
    int AttendanceCount, string Description, string? Audience = null)
{
    public InterventionBody ToRequest(DateOnly date) => new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Departement, Kind,
        OrganisationIds, Audience, AttendanceCount, Description);
}

/// <summary>Exactly the fields of <c>POST /api/training/interventions</c>.</summary>
public sealed record InterventionBody(
    string Date, string Departement, InterventionKind Kind, IReadOnlyList<Guid> OrganisationIds, string? Audience, int AttendanceCount, string Description);

/// <summary>
/// Dates relative to the day of the run, in Paris time. Sessions fall on a weekday of a coming week and interventions
/// on a day of a past month, so that every run of the same week (sessions) or month (interventions) computes the same
/// dates, which is what lets a re-run recognise what is already there.
/// </summary>
public static class TrainingCalendar
{
    public const int MinWeeksAhead = 2, MaxWeeksAhead = 26, MaxMonthsAgo = 12;

    private static readonly TimeZoneInfo? Paris = FindParis();

    public static DateOnly ParisToday(DateTimeOffset now) => DateOnly.FromDateTime(ToParis(now));

    /// <summary>Monday of the current week, plus whole weeks, plus the day: at least 8 days ahead for 2 weeks.</summary>
    public static DateOnly SessionDay(DateOnly today, int weeksAhead, DayOfWeek day)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return monday.AddDays(7 * weeksAhead + ((int)day + 6) % 7);
    }

    /// <summary>The day of a past month; on a weekend, the Friday before (always earlier, so never in the future).</summary>
    public static DateOnly InterventionDate(DateOnly today, int monthsAgo, int day)
    {
        var month = new DateOnly(today.Year, today.Month, 1).AddMonths(-monthsAgo);
        var date = month.AddDays(Math.Min(day, DateTime.DaysInMonth(month.Year, month.Month)) - 1);
        return date.DayOfWeek switch
        {
            DayOfWeek.Saturday => date.AddDays(-1),
            DayOfWeek.Sunday => date.AddDays(-2),
            _ => date,
        };
    }

    /// <summary>A Paris wall-clock time as an instant with its offset (+01:00 in winter, +02:00 in summer).</summary>
    public static DateTimeOffset AtParis(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Paris?.GetUtcOffset(local) ?? EuropeanOffset(local));
    }

    public static bool TryParseTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static DateTime ToParis(DateTimeOffset now) =>
        Paris is { } zone ? TimeZoneInfo.ConvertTime(now, zone).DateTime : now.UtcDateTime + EuropeanOffset(now.UtcDateTime);

    /// <summary>Without time zone data (a slim container): summer time from the last Sunday of March to the last of October.</summary>
    private static TimeSpan EuropeanOffset(DateTime local)
    {
        static DateTime LastSunday(int year, int month)
        {
            var last = new DateTime(year, month, DateTime.DaysInMonth(year, month));
            return last.AddDays(-(int)last.DayOfWeek);
        }
        var summer = local >= LastSunday(local.Year, 3).AddHours(2) && local < LastSunday(local.Year, 10).AddHours(3);
        return TimeSpan.FromHours(summer ? 2 : 1);
    }

    private static TimeZoneInfo? FindParis()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException) { return null; }
    }
}

public static partial class TrainingSeedData
{
    public const string TrainingFile = "training.json";

    public static readonly IReadOnlySet<string> CoordinatorRoles = new HashSet<string> { "national_coordinator" };

    /// <summary>The network a staff role belongs to (the Training service's rule): who may register themselves.</summary>
    public static TrainerNetwork? NetworkOf(string role) => role switch
    {
        "iscg_worker" => TrainerNetwork.Aniscg,
        "association_staff" => TrainerNetwork.FranceVictimes,
        "partner_staff" => TrainerNetwork.Partners,
        _ => null,
    };

    /// <summary>
    /// Reads training.json and checks it against the accounts, the organisations and the API's rules, so that a mistake
    /// in the file is reported before anything is sent.
    /// </summary>
    public static TrainingSeed Load(string dataDirectory, IReadOnlyList<AccountSeed> accounts, IReadOnlyList<OrganisationSeed> organisations)
    {
        var path = Path.Combine(dataDirectory, TrainingFile);
        var seed = SeedData.Load<TrainingSeed>(dataDirectory, TrainingFile);
        var problems = Check(seed, accounts, organisations);
        if (problems.Count > 0)
            throw new SeedDataException($"{path}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        return seed;
    }

    public static List<string> Check(TrainingSeed seed, IReadOnlyList<AccountSeed> accounts, IReadOnlyList<OrganisationSeed> organisations)
    {
        var accountsByName = accounts.ToDictionary(a => a.Username, StringComparer.Ordinal);
        var organisationsById = organisations.ToDictionary(o => o.Id);
        var problems = new List<string>();

        if (!accountsByName.TryGetValue(seed.Coordinator, out var coordinator))
            problems.Add($"coordinator: no account '{seed.Coordinator}' in {SeedData.AccountsFile}");
        else if (!CoordinatorRoles.Contains(coordinator.Role))
            problems.Add($"coordinator: '{seed.Coordinator}' is not a national coordinator (role {coordinator.Role})");

        var modules = new Dictionary<string, ModuleSeed>(StringComparer.Ordinal);
        foreach (var (module, index) in seed.Modules.Select((m, i) => (m, i)))
        {
            var where = $"module #{index + 1} ({module.Title})";
            if (!modules.TryAdd(module.Title.Trim(), module))
                problems.Add($"{where}: another module has the same title (the title tells a re-run that the module is there)");
            Text(module.Title, 200, $"{where}: \"title\"", problems);
            Text(module.Objectives, 4000, $"{where}: \"objectives\"", problems);
            Duration(module.DurationMinutes, where, problems);
            CoDesigners(module.CoDesignedBy, where, organisationsById, problems);
            if (module.Revision is { } revision)
            {
                if (revision.Objectives is not null) Text(revision.Objectives, 4000, $"{where}, revision: \"objectives\"", problems);
                if (revision.DurationMinutes is { } minutes) Duration(minutes, $"{where}, revision", problems);
                if (revision.CoDesignedBy is { } codesigners) CoDesigners(codesigners, $"{where}, revision", organisationsById, problems);
                if (SameContent(module.RevisedRequest()!, module.ToRequest()))
                    problems.Add($"{where}: the revision changes nothing");
            }
            if (module.RetirementReason is not null) Text(module.RetirementReason, 1000, $"{where}: \"retirementReason\"", problems);
        }

        var sessionKeys = new HashSet<(string, int, DayOfWeek)>();
        foreach (var (session, index) in seed.Sessions.Select((s, i) => (s, i)))
        {
            var where = $"session #{index + 1} ({session.Module}, {session.Departement})";
            if (!sessionKeys.Add((session.Module.Trim(), session.WeeksAhead, session.Day)))
                problems.Add($"{where}: another session of this module starts the same day (a re-run could not tell them apart)");
            if (!modules.TryGetValue(session.Module.Trim(), out var module))
                problems.Add($"{where}: no module titled '{session.Module}' in this file");
            else if (module.RetirementReason is not null)
                problems.Add($"{where}: the module is retired, no session can be scheduled");
            if (session.WeeksAhead is < TrainingCalendar.MinWeeksAhead or > TrainingCalendar.MaxWeeksAhead)
                problems.Add($"{where}: \"weeksAhead\" goes from {TrainingCalendar.MinWeeksAhead} (registration closes 2 days before the start) " +
                    $"to {TrainingCalendar.MaxWeeksAhead}; sessions in the past cannot be scheduled");
            if (session.Day is DayOfWeek.Saturday or DayOfWeek.Sunday)
                problems.Add($"{where}: \"day\" must be a weekday");
            var startOk = TrainingCalendar.TryParseTime(session.StartTime, out var start);
            var endOk = TrainingCalendar.TryParseTime(session.EndTime, out var end);
            if (!startOk) problems.Add($"{where}: \"startTime\" must be a time such as \"09:30\"");
            if (!endOk) problems.Add($"{where}: \"endTime\" must be a time such as \"17:00\"");
            if (startOk && endOk && end <= start) problems.Add($"{where}: the session must end after it starts, the same day");
            Departement(session.Departement, where, problems);
            if (session.Capacity is < 1 or > 500) problems.Add($"{where}: \"capacity\" goes from 1 to 500");
            if (module is not null)
            {
                var format = module.RevisedRequest()?.Format ?? module.Format;
                if (format is TrainingFormat.InPerson or TrainingFormat.Hybrid && string.IsNullOrWhiteSpace(session.Place))
                    problems.Add($"{where}: a {Camel(format)} module needs a \"place\"");
                if (format is TrainingFormat.Remote or TrainingFormat.Hybrid && string.IsNullOrWhiteSpace(session.Link))
                    problems.Add($"{where}: a {Camel(format)} module needs a \"link\"");
            }
            if (session.Place is not null) Text(session.Place, 300, $"{where}: \"place\"", problems);
            if (session.Link is not null && !(Uri.TryCreate(session.Link, UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps))
                problems.Add($"{where}: \"link\" must be an https:// address");
            if (session.Trainers.Any(t => string.IsNullOrWhiteSpace(t.Name)))
                problems.Add($"{where}: every trainer needs a name");
            if (!session.Trainers.Any(t => t.Network == TrainerNetwork.Aniscg) || !session.Trainers.Any(t => t.Network == TrainerNetwork.FranceVictimes))
                problems.Add($"{where}: a joint session has at least one aniscg trainer and one franceVictimes trainer");

            var registered = new HashSet<string>(StringComparer.Ordinal);
            foreach (var registration in session.RegistrationsOrNone)
            {
                var at = $"{where}, registration of '{registration.Account}'";
                if (!registered.Add(registration.Account)) problems.Add($"{at}: registered twice");
                if (!accountsByName.TryGetValue(registration.Account, out var account))
                    problems.Add($"{at}: no such account in {SeedData.AccountsFile}");
                else if (NetworkOf(account.Role) is null || account.OrganisationId is null)
                    problems.Add($"{at}: only the staff of an organisation can be registered (role {account.Role})");
            }
            if (registered.Count > 0 && !session.OpenRegistration)
                problems.Add($"{where}: registrations need \"openRegistration\": true");
            if (session.CancellationReason is { } reason)
            {
                Text(reason, 1000, $"{where}: \"cancellationReason\"", problems);
                // A full session cannot be cancelled; and a cancelled one is listed only among its registrants' registrations,
                // which is how a re-run finds it again.
                if (registered.Count == 0 || registered.Count >= session.Capacity)
                    problems.Add($"{where}: a cancelled session needs at least one registration, and fewer than its capacity");
            }
        }

        var interventionKeys = new HashSet<(int, int, string, string)>();
        foreach (var (intervention, index) in seed.Interventions.Select((v, i) => (v, i)))
        {
            var where = $"intervention #{index + 1} ({intervention.Departement}, {Camel(intervention.Kind)})";
            if (!interventionKeys.Add((intervention.MonthsAgo, intervention.Day, intervention.Departement, intervention.Description.Trim())))
                problems.Add($"{where}: another intervention has the same date, département and description");
            if (intervention.MonthsAgo is < 1 or > TrainingCalendar.MaxMonthsAgo)
                problems.Add($"{where}: \"monthsAgo\" goes from 1 to {TrainingCalendar.MaxMonthsAgo} (an intervention is never in the future)");
            if (intervention.Day is < 1 or > 31) problems.Add($"{where}: \"day\" goes from 1 to 31");
            Departement(intervention.Departement, where, problems);
            Text(intervention.Description, 2000, $"{where}: \"description\"", problems);
            if (intervention.Audience is not null) Text(intervention.Audience, 300, $"{where}: \"audience\"", problems);
            if (intervention.AttendanceCount is < 0 or > 100_000) problems.Add($"{where}: \"attendanceCount\" goes from 0 to 100000");

            var taking = new List<OrganisationSeed>();
            foreach (var id in intervention.OrganisationIds)
            {
                if (!organisationsById.TryGetValue(id, out var organisation))
                    problems.Add($"{where}: no organisation {id} in {SeedData.OrganisationsFile}");
                else
                {
                    taking.Add(organisation);
                    if (!organisation.Departements.Contains(intervention.Departement))
                        problems.Add($"{where}: '{organisation.Name}' does not work in département {intervention.Departement}");
                }
            }
            if (intervention.OrganisationIds.Distinct().Count() != intervention.OrganisationIds.Count)
                problems.Add($"{where}: an organisation is listed twice");
            if (!taking.Any(o => o.Kind == OrganisationKind.IscgPost) || !taking.Any(o => o.Kind == OrganisationKind.VictimSupportAssociation))
                problems.Add($"{where}: a joint intervention has at least one ISCG post and one victim-support association");

            if (!accountsByName.TryGetValue(intervention.RecordedBy, out var by))
                problems.Add($"{where}: \"recordedBy\": no account '{intervention.RecordedBy}' in {SeedData.AccountsFile}");
            else if (!CoordinatorRoles.Contains(by.Role)
                && !(NetworkOf(by.Role) is not null && by.OrganisationId is { } own && intervention.OrganisationIds.Contains(own)))
                problems.Add($"{where}: \"recordedBy\" must be a coordinator or staff of one of the organisations that took part");
        }
        return problems;
    }

    public static bool SameContent(ModuleBody a, ModuleBody b) =>
        a.Title == b.Title && a.Objectives == b.Objectives && a.Audience == b.Audience && a.DurationMinutes == b.DurationMinutes
        && a.Format == b.Format && a.CoDesignedBy.SequenceEqual(b.CoDesignedBy);

    private static void Text(string value, int maxLength, string what, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value)) problems.Add($"{what} must not be empty");
        else if (value.Trim().Length > maxLength) problems.Add($"{what} is longer than {maxLength} characters");
    }

    private static void Duration(int minutes, string where, List<string> problems)
    {
        if (minutes is < 30 or > 2400) problems.Add($"{where}: \"durationMinutes\" goes from 30 to 2400");
    }

    private static void CoDesigners(IReadOnlyList<Guid> ids, string where, Dictionary<Guid, OrganisationSeed> organisations, List<string> problems)
    {
        var known = ids.Where(organisations.ContainsKey).Select(id => organisations[id]).ToList();
        foreach (var unknown in ids.Where(id => !organisations.ContainsKey(id)))
            problems.Add($"{where}: \"coDesignedBy\": no organisation {unknown} in {SeedData.OrganisationsFile}");
        if (ids.Count > 20) problems.Add($"{where}: \"coDesignedBy\" lists more than 20 organisations");
        if (ids.Distinct().Count() != ids.Count) problems.Add($"{where}: \"coDesignedBy\" lists an organisation twice");
        if (!known.Any(o => o.Kind == OrganisationKind.IscgPost) || !known.Any(o => o.Kind == OrganisationKind.VictimSupportAssociation))
            problems.Add($"{where}: a module is co-designed by both networks: at least one ISCG post and one victim-support association");
    }

    private static void Departement(string code, string where, List<string> problems)
    {
        if (!DepartementCode().IsMatch(code)) problems.Add($"{where}: \"departement\" must be an INSEE code such as \"93\", not '{code}'");
    }

    private static string Camel<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    [GeneratedRegex("^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$")]
    private static partial Regex DepartementCode();
}
