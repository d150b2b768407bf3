using System.Text.RegularExpressions;

namespace Coordination.DemoSeed;

public enum ProjectType { NewIscgPost, JointReceptionPoint, PartnershipConvention, TrainingProgramme, AwarenessCampaign, Other }

/// <summary>The path of a project, in the Projects service's order; <see cref="Abandoned"/> ends it from anywhere.</summary>
public enum ProjectStage { Idea, Diagnosis, FundingSearch, ConventionSigned, Launched, Running, Evaluated, Abandoned }

public enum Funder { StateFipd, Departement, Commune, Caf, Region, Ars, Foundation, Other }

public enum FundingDecision { Pending, Granted, Refused }

public enum SupportKind { ModelDocument, FundingFileReview, LegalQuestion, PartnerContact, Other }

/// <summary>
/// projects.json: the demo's local projects, the coordinator account that answers their support requests, and the day
/// the file's dates were written for (<see cref="DatesAsOf"/>). The seeder moves every date (and funding year) by the
/// whole months between that month and the current one, so that a milestone written as overdue stays overdue and a
/// future one stays in the future whenever the demo is seeded. The Projects API creates ids itself: a project is
/// recognised by its title (see <see cref="ProjectSeeder"/>).
/// </summary>
public sealed record ProjectsSeed(string Coordinator, DateOnly DatesAsOf, IReadOnlyList<ProjectSeed> Projects);

/// <summary>
/// A project, created and then changed by the demo account <see cref="By"/> (staff of the lead organisation, or a
/// coordinator): its partners, its funding plan with the funders' decisions, its milestones, then its stages one at a
/// time up to <see cref="Stage"/> (for <c>abandoned</c>: up to <see cref="Abandonment"/>'s stage, then abandoned).
/// Then its support requests.
/// </summary>
public sealed record ProjectSeed(
    string By, string Title, ProjectType Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, string Description, decimal Budget,
    ProjectStage Stage, DateOnly? TargetStart = null, DateOnly? TargetEnd = null, DateOnly? StartDate = null, AbandonmentSeed? Abandonment = null,
    IReadOnlyList<PartnerSeed>? Partners = null, IReadOnlyList<FundingLineSeed>? Funding = null, IReadOnlyList<MilestoneSeed>? Milestones = null,
    IReadOnlyList<SupportRequestSeed>? SupportRequests = null)
{
    public IReadOnlyList<PartnerSeed> PartnersOrNone => Partners ?? [];
    public IReadOnlyList<FundingLineSeed> FundingOrNone => Funding ?? [];
    public IReadOnlyList<MilestoneSeed> MilestonesOrNone => Milestones ?? [];
    public IReadOnlyList<SupportRequestSeed> SupportRequestsOrNone => SupportRequests ?? [];

    /// <summary>The last stage reached walking forward: the target, or the stage the project is abandoned from.</summary>
    public ProjectStage LastForwardStage => Stage == ProjectStage.Abandoned ? Abandonment?.After ?? ProjectStage.Idea : Stage;
}

/// <summary>The project goes forward up to <see cref="After"/>, then is abandoned for <see cref="Reason"/>.</summary>
public sealed record AbandonmentSeed(ProjectStage After, string Reason);

public sealed record PartnerSeed(Guid OrganisationId, string Role, bool Signatory);

/// <summary>
/// A line of the funding plan, then the funder's decision if <see cref="Decision"/> is given (a line without one stays
/// pending, undecided; <c>pending</c> with a date records a deferred decision).
/// </summary>
public sealed record FundingLineSeed(
    Funder Funder, decimal AmountRequested, int FromYear, int ToYear, string? FunderName = null,
    FundingDecision? Decision = null, decimal? AmountGranted = null, DateOnly? DecisionDate = null, string? Justification = null);

/// <summary>A milestone, marked done (on the day of the run) if <see cref="Completed"/>; otherwise past its due date it is overdue.</summary>
public sealed record MilestoneSeed(string Title, DateOnly DueDate, bool Completed = false);

/// <summary>
/// A support request opened by <see cref="By"/> (staff of the lead organisation), answered by the coordinator with
/// <see cref="Answers"/> (in order), and closed by the coordinator if <see cref="Closed"/>.
/// </summary>
public sealed record SupportRequestSeed(string By, SupportKind Kind, string Message, IReadOnlyList<string>? Answers = null, bool Closed = false)
{
    public IReadOnlyList<string> AnswersOrNone => Answers ?? [];
}

/// <summary>Exactly the fields of <c>POST /api/projects</c>: the API refuses unknown ones.</summary>
public sealed record CreateProjectBody(
    string Title, ProjectType Type, IReadOnlyList<string> Departements, Guid LeadOrganisationId, string Description, decimal Budget,
    DateOnly? TargetStart, DateOnly? TargetEnd);

/// <summary>Exactly the fields of <c>POST /api/projects/{id}/partners</c>.</summary>
public sealed record PartnerBody(Guid OrganisationId, string Role, bool Signatory);

/// <summary>Exactly the fields of <c>POST /api/projects/{id}/funding-lines</c>.</summary>
public sealed record FundingLineBody(Funder Funder, string? FunderName, decimal AmountRequested, int FromYear, int ToYear);

/// <summary>Exactly the fields of <c>POST /api/projects/{id}/funding-lines/{lineId}/decision</c>.</summary>
public sealed record FundingDecisionBody(FundingDecision Decision, decimal? AmountGranted, DateOnly DecisionDate, string? Justification);

/// <summary>Exactly the fields of <c>POST /api/projects/{id}/milestones</c>.</summary>
public sealed record MilestoneBody(string Title, DateOnly DueDate);

/// <summary>Exactly the fields of <c>POST /api/projects/{id}/stage</c>.</summary>
public sealed record StageBody(ProjectStage Stage, string? Reason, DateOnly? StartDate);

/// <summary>Exactly the fields of <c>POST /api/projects/{id}/support-requests</c>.</summary>
public sealed record SupportRequestBody(SupportKind Kind, string Message);

/// <summary>Exactly the fields of <c>POST /api/projects/support-requests/{id}/messages</c>.</summary>
public sealed record SupportMessageBody(string Text);

/// <summary>
/// Moves the file's dates to the current month: by the whole months between the month of <c>datesAsOf</c> and the
/// current Paris month (a day past the end of the new month becomes its last day); funding years by the whole years
/// of that shift.
/// </summary>
public sealed record ProjectCalendar(int Months, int Years)
{
    public static ProjectCalendar For(DateOnly datesAsOf, DateOnly today)
    {
        var months = (today.Year - datesAsOf.Year) * 12 + today.Month - datesAsOf.Month;
        return new ProjectCalendar(months, (int)Math.Floor(months / 12.0));
    }

    public DateOnly Shift(DateOnly date) => date.AddMonths(Months);

    public DateOnly? Shift(DateOnly? date) => date?.AddMonths(Months);

    public int ShiftYear(int year) => year + Years;
}

public static partial class ProjectSeedData
{
    public const string ProjectsFile = "projects.json";

    public const decimal MaxAmount = 100_000_000m;

    /// <summary>
    /// Reads projects.json and checks it against the accounts, the organisations and the API's rules (stages one at a
    /// time, the convention's prerequisites, decisions, amounts), so that a mistake in the file is reported before
    /// anything is sent.
    /// </summary>
    public static ProjectsSeed Load(string dataDirectory, IReadOnlyList<AccountSeed> accounts, IReadOnlyList<OrganisationSeed> organisations)
    {
        var path = Path.Combine(dataDirectory, ProjectsFile);
        var seed = SeedData.Load<ProjectsSeed>(dataDirectory, ProjectsFile);
        var problems = Check(seed, accounts, organisations);
        if (problems.Count > 0)
            throw new SeedDataException($"{path}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        return seed;
    }

    public static List<string> Check(ProjectsSeed seed, IReadOnlyList<AccountSeed> accounts, IReadOnlyList<OrganisationSeed> organisations)
    {
        var accountsByName = accounts.ToDictionary(a => a.Username, StringComparer.Ordinal);
        var organisationsById = organisations.ToDictionary(o => o.Id);
        var problems = new List<string>();

        if (!accountsByName.TryGetValue(seed.Coordinator, out var coordinator))
            problems.Add($"coordinator: no account '{seed.Coordinator}' in {SeedData.AccountsFile}");
        else if (!TrainingSeedData.CoordinatorRoles.Contains(coordinator.Role))
            problems.Add($"coordinator: '{seed.Coordinator}' is not a national coordinator (role {coordinator.Role})");
        if (seed.DatesAsOf.Year is < 2020 or > 2090)
            problems.Add($"datesAsOf: '{seed.DatesAsOf:yyyy-MM-dd}' is not a plausible day");

        var titles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (project, index) in seed.Projects.Select((p, i) => (p, i)))
        {
            var where = $"project #{index + 1} ({project.Title})";
            if (!titles.Add(project.Title.Trim()))
                problems.Add($"{where}: another project has the same title (the title tells a re-run that the project is there)");
            Text(project.Title, 200, $"{where}: \"title\"", problems);
            Text(project.Description, 4000, $"{where}: \"description\"", problems);
            if (project.Departements.Count == 0) problems.Add($"{where}: no département");
            foreach (var code in project.Departements.Where(d => !DepartementCode().IsMatch(d)))
                problems.Add($"{where}: \"departements\": '{code}' is not an INSEE code such as \"93\"");
            if (project.Departements.Distinct().Count() != project.Departements.Count)
                problems.Add($"{where}: a département is listed twice");
            Money(project.Budget, $"{where}: \"budget\"", positive: true, problems);
            if (project.TargetStart is { } targetStart && project.TargetEnd is { } targetEnd && targetEnd < targetStart)
                problems.Add($"{where}: \"targetEnd\" comes before \"targetStart\"");

            // The lead organisation, and who may act for it.
            if (!organisationsById.TryGetValue(project.LeadOrganisationId, out var lead))
                problems.Add($"{where}: \"leadOrganisationId\": no organisation {project.LeadOrganisationId} in {SeedData.OrganisationsFile}");
            else if (!lead.Departements.Intersect(project.Departements).Any())
                problems.Add($"{where}: the lead organisation '{lead.Name}' works in none of the project's départements");
            if (!accountsByName.TryGetValue(project.By, out var by))
                problems.Add($"{where}: \"by\": no account '{project.By}' in {SeedData.AccountsFile}");
            else if (!TrainingSeedData.CoordinatorRoles.Contains(by.Role) && by.OrganisationId != project.LeadOrganisationId)
                problems.Add($"{where}: \"by\" must be a coordinator or staff of the lead organisation ('{project.By}' is {by.Role}" +
                    (by.OrganisationId is { } own ? $" of {own})" : ")"));

            // Partners: the API keeps one entry per organisation.
            foreach (var partner in project.PartnersOrNone)
            {
                var at = $"{where}, partner {partner.OrganisationId}";
                if (!organisationsById.ContainsKey(partner.OrganisationId))
                    problems.Add($"{at}: no such organisation in {SeedData.OrganisationsFile}");
                if (partner.OrganisationId == project.LeadOrganisationId)
                    problems.Add($"{at}: the lead organisation is not its own partner");
                Text(partner.Role, 200, $"{at}: \"role\"", problems);
            }
            if (project.PartnersOrNone.Select(p => p.OrganisationId).Distinct().Count() != project.PartnersOrNone.Count)
                problems.Add($"{where}: a partner is listed twice");

            // Funding plan and decisions.
            foreach (var (line, number) in project.FundingOrNone.Select((l, i) => (l, i + 1)))
            {
                var at = $"{where}, funding line #{number} ({Camel(line.Funder)})";
                if (line.Funder is Funder.Foundation or Funder.Other) Text(line.FunderName, 200, $"{at}: \"funderName\" (required for {Camel(line.Funder)})", problems);
                else if (line.FunderName is not null) Text(line.FunderName, 200, $"{at}: \"funderName\"", problems);
                Money(line.AmountRequested, $"{at}: \"amountRequested\"", positive: true, problems);
                if (line.FromYear is < 2000 or > 2090 || line.ToYear < line.FromYear || line.ToYear > line.FromYear + 10)
                    problems.Add($"{at}: \"fromYear\" and \"toYear\" give a period of 10 years at most, from 2000 on");
                if (line.Decision is not { } decision)
                {
                    if (line.AmountGranted is not null || line.DecisionDate is not null || line.Justification is not null)
                        problems.Add($"{at}: \"amountGranted\", \"decisionDate\" and \"justification\" need a \"decision\"");
                    continue;
                }
                if (line.DecisionDate is not { } decided)
                    problems.Add($"{at}: a decision needs its \"decisionDate\"");
                else if (decided > seed.DatesAsOf)
                    problems.Add($"{at}: \"decisionDate\" is after \"datesAsOf\" (a decision is never in the future)");
                if (decision == FundingDecision.Granted)
                {
                    if (line.AmountGranted is not { } granted) problems.Add($"{at}: a granted line needs its \"amountGranted\"");
                    else
                    {
                        Money(granted, $"{at}: \"amountGranted\"", positive: true, problems);
                        if (granted > line.AmountRequested && string.IsNullOrWhiteSpace(line.Justification))
                            problems.Add($"{at}: granted more than requested needs a \"justification\"");
                    }
                }
                else if (line.AmountGranted is not null)
                    problems.Add($"{at}: only a granted line has an \"amountGranted\"");
                if (line.Justification is not null) Text(line.Justification, 1000, $"{at}: \"justification\"", problems);
            }

            // Milestones: recognised by their title once added.
            var milestoneTitles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var milestone in project.MilestonesOrNone)
            {
                var at = $"{where}, milestone '{milestone.Title}'";
                if (!milestoneTitles.Add(milestone.Title.Trim())) problems.Add($"{at}: another milestone has the same title");
                Text(milestone.Title, 200, $"{at}: \"title\"", problems);
            }

            // Stages: forward one at a time, with the prerequisites of the convention and of the launch.
            if (project.Stage == ProjectStage.Abandoned)
            {
                if (project.Abandonment is not { } abandonment)
                    problems.Add($"{where}: an abandoned project needs \"abandonment\" (the stage it is abandoned after, and why)");
                else
                {
                    if (abandonment.After is ProjectStage.Evaluated or ProjectStage.Abandoned)
                        problems.Add($"{where}: \"abandonment\".\"after\" must be a stage before evaluated (an evaluated project is ended)");
                    Text(abandonment.Reason, 1000, $"{where}: \"abandonment\".\"reason\"", problems);
                }
            }
            else if (project.Abandonment is not null)
                problems.Add($"{where}: \"abandonment\" is only for an abandoned project");
            var last = project.LastForwardStage;
            if (last >= ProjectStage.ConventionSigned)
            {
                if (!project.FundingOrNone.Any(l => l.Decision == FundingDecision.Granted))
                    problems.Add($"{where}: a signed convention needs at least one granted funding line");
                if (!project.PartnersOrNone.Any(p => p.Signatory))
                    problems.Add($"{where}: a signed convention needs at least one signatory partner");
            }
            if (last >= ProjectStage.Launched && project.StartDate is null && project.TargetStart is null)
                problems.Add($"{where}: the launch needs a \"startDate\" (or a \"targetStart\")");
            if (project.StartDate is not null && last < ProjectStage.Launched)
                problems.Add($"{where}: \"startDate\" is given at the launch: the project must reach launched");

            // Support requests: opened by the lead organisation's staff, answered and closed by the coordinator.
            foreach (var (request, number) in project.SupportRequestsOrNone.Select((r, i) => (r, i + 1)))
            {
                var at = $"{where}, support request #{number}";
                if (!accountsByName.TryGetValue(request.By, out var requester))
                    problems.Add($"{at}: \"by\": no account '{request.By}' in {SeedData.AccountsFile}");
                else if (TrainingSeedData.NetworkOf(requester.Role) is null || requester.OrganisationId != project.LeadOrganisationId)
                    problems.Add($"{at}: \"by\" must be staff of the lead organisation ('{request.By}' is {requester.Role})");
                Text(request.Message, 4000, $"{at}: \"message\"", problems);
                foreach (var answer in request.AnswersOrNone) Text(answer, 4000, $"{at}: an answer", problems);
            }
        }
        return problems;
    }

    private static void Text(string? value, int maxLength, string what, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(value)) problems.Add($"{what} must not be empty");
        else if (value.Trim().Length > maxLength) problems.Add($"{what} is longer than {maxLength} characters");
    }

    /// <summary>Euros: the API takes 0 to 100 million, with cents at most.</summary>
    private static void Money(decimal amount, string what, bool positive, List<string> problems)
    {
        if (amount < 0 || amount > MaxAmount || (positive && amount == 0))
            problems.Add($"{what} goes from {(positive ? "0.01" : "0")} to {MaxAmount:0} euros");
        else if (decimal.Round(amount, 2) != amount)
            problems.Add($"{what} has more than two decimals (cents)");
    }

    private static string Camel<T>(T value) where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    [GeneratedRegex("^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-6])$")]
    private static partial Regex DepartementCode();
}
