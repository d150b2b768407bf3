using System.Globalization;
using Coordination.DemoSeed;

// Loads the demo organisations into the Directory through the gateway, as the admin demo account, then plays the demo
// referrals (hand-offs between organisations, in every status a command can reach) as the demo staff accounts, then the
// training data (catalogue, upcoming sessions with their registrations, joint interventions) as the coordinator and staff,
// then the local projects (partners, funding plans and decisions, milestones, stages, support requests).
// Idempotent: organisations and referrals have fixed ids, so a re-run finds them already there (409) and changes nothing;
// training data and projects get their ids from the server, so a re-run looks them up by content first (see TrainingSeeder
// and ProjectSeeder).

const int Ok = 0, Failed = 1, Usage = 2, Unreachable = 3, Interrupted = 130;

var parsed = CommandLine.Parse(args);
if (parsed.ShowHelp)
{
    Console.WriteLine(CommandLine.Help);
    return Ok;
}
if (parsed.Error is { } usageError)
{
    Console.Error.WriteLine($"DemoSeed: {usageError}");
    Console.Error.WriteLine(CommandLine.Help);
    return Usage;
}
var options = parsed.Options!;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };

IReadOnlyList<OrganisationSeed> organisations;
IReadOnlyList<AccountSeed> accounts;
IReadOnlyList<ReferralSeed> referrals;
TrainingSeed training;
ProjectsSeed projects;
(IReadOnlyList<System.Text.Json.JsonElement> Aids, IReadOnlyDictionary<string, string[]> Referents) aids;
AccountSeed admin;
try
{
    organisations = SeedData.LoadOrganisations(options.DataDirectory);
    accounts = SeedData.LoadAccounts(options.DataDirectory);
    admin = accounts.FirstOrDefault(a => a.Role == "admin")
        ?? throw new SeedDataException($"{Path.Combine(options.DataDirectory, SeedData.AccountsFile)}: no account has the role \"admin\".");
    referrals = ReferralSeedData.Load(options.DataDirectory, accounts, organisations);
    training = TrainingSeedData.Load(options.DataDirectory, accounts, organisations);
    projects = ProjectSeedData.Load(options.DataDirectory, accounts, organisations);
    aids = AidSeeder.Load(options.DataDirectory, accounts);
}
catch (SeedDataException e)
{
    Console.Error.WriteLine($"DemoSeed: unusable demo data: {e.Message}");
    return Usage;
}

using var gateway = GatewayClient.Create(options.Gateway, options.RetryBudget, Console.Out);
int created = 0, alreadyPresent = 0, rejected = 0;
// Waits (once per run, --timeout at most) for Referrals to learn the organisations from the Directory's events.
var tokens = new DemoTokens(gateway, accounts);
var referralSeeder = new ReferralSeeder(gateway, tokens, options.RetryBudget, Console.Out, Console.Error, admin.Username);
// Waits likewise (its own budget) for Training to learn the organisations of the joint interventions.
var trainingSeeder = new TrainingSeeder(gateway, tokens, training, accounts, options.RetryBudget, Console.Out, Console.Error);
var projectSeeder = new ProjectSeeder(gateway, tokens, projects, Console.Error);
var aidSeeder = new AidSeeder(gateway, tokens, accounts, Console.Error);
var referralsStarted = false;
try
{
    await gateway.SignInAsync(admin.Username, admin.Password, stop.Token);
    foreach (var organisation in organisations)
    {
        var result = await gateway.RegisterOrganisationAsync(organisation, stop.Token);
        switch (result.Outcome)
        {
            case RegistrationOutcome.Created: created++; break;
            case RegistrationOutcome.AlreadyPresent: alreadyPresent++; break;
            default:
                rejected++;
                Console.Error.WriteLine($"DemoSeed: '{organisation.Name}' ({organisation.Id}) was refused: HTTP {result.StatusCode}");
                if (result.Body.Length > 0) Console.Error.WriteLine($"  {result.Body}");
                break;
        }
    }

    referralsStarted = true;
    foreach (var referral in referrals)
        await referralSeeder.SeedAsync(referral, stop.Token);

    await trainingSeeder.SeedAsync(DateTimeOffset.UtcNow, stop.Token);

    await projectSeeder.SeedAsync(DateTimeOffset.UtcNow, stop.Token);

    await aidSeeder.SeedAsync(aids.Aids, aids.Referents, stop.Token);
}
catch (PlatformUnreachableException e)
{
    Console.Error.WriteLine($"DemoSeed: platform unreachable: {e.Message}");
    if (created + alreadyPresent + referralSeeder.Created + referralSeeder.AlreadyPresent > 0 || trainingSeeder.Started || projectSeeder.Started) PrintSummary();
    return Unreachable;
}
catch (TokenRefusedException e)
{
    Console.Error.WriteLine($"DemoSeed: cannot sign in as the admin demo account: {e.Message}");
    return Failed;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("DemoSeed: interrupted.");
    PrintSummary();
    return Interrupted;
}

PrintSummary();
if (rejected > 0)
    Console.Error.WriteLine($"DemoSeed: {rejected} organisation{(rejected > 1 ? "s were" : " was")} refused (see above).");
if (referralSeeder.Failed > 0)
    Console.Error.WriteLine($"DemoSeed: {referralSeeder.Failed} referral{(referralSeeder.Failed > 1 ? "s" : "")} could not be seeded (see above).");
if (!trainingSeeder.Started)
    Console.Error.WriteLine("DemoSeed: the training data was not seeded (see above).");
else if (trainingSeeder.Failed > 0)
    Console.Error.WriteLine($"DemoSeed: {trainingSeeder.Failed} training item{(trainingSeeder.Failed > 1 ? "s" : "")} could not be seeded (see above).");
if (!projectSeeder.Started)
    Console.Error.WriteLine("DemoSeed: the projects were not seeded (see above).");
else if (projectSeeder.Failed > 0)
    Console.Error.WriteLine($"DemoSeed: {projectSeeder.Failed} project item{(projectSeeder.Failed > 1 ? "s" : "")} could not be seeded (see above).");
if (aidSeeder.Failed > 0)
    Console.Error.WriteLine($"DemoSeed: {aidSeeder.Failed} aid item{(aidSeeder.Failed > 1 ? "s" : "")} could not be seeded (see above).");
return rejected + referralSeeder.Failed + trainingSeeder.Failed + projectSeeder.Failed + aidSeeder.Failed > 0 ? Failed : Ok;

void PrintSummary()
{
    Console.WriteLine($"Demo data: {created} organisations created, {alreadyPresent} already present.");
    if (referralsStarted)
        Console.WriteLine($"Demo referrals: {referralSeeder.Created} created, {referralSeeder.AlreadyPresent} already present.");
    if (trainingSeeder.Started)
        Console.WriteLine($"Demo training: {trainingSeeder.ModulesCreated} modules, {trainingSeeder.SessionsCreated} sessions, " +
            $"{trainingSeeder.InterventionsCreated} interventions created ({trainingSeeder.AlreadyPresent} already present).");
    if (projectSeeder.Started)
        Console.WriteLine($"Demo projects: {projectSeeder.ProjectsCreated} projects created ({projectSeeder.AlreadyPresent} already present), " +
            $"{projectSeeder.SupportRequestsCreated} support requests.");
    if (aidSeeder.Started)
        Console.WriteLine($"Demo guide of aids: {aidSeeder.Created} aids created, {aidSeeder.AlreadyPresent} already present.");
}

namespace Coordination.DemoSeed
{
    public sealed record SeedOptions(Uri Gateway, string DataDirectory, TimeSpan RetryBudget);

    public sealed record ParsedCommandLine(SeedOptions? Options, string? Error, bool ShowHelp);

    public static class CommandLine
    {
        public const string DefaultGateway = "http://127.0.0.1:8080";
        public const string DefaultDataDirectory = "infra/demo";
        public const int DefaultTimeoutSeconds = 60;

        public static readonly string Help = $"""
            Usage: Coordination.DemoSeed [--gateway URL] [--data DIR] [--timeout SECONDS]

              --gateway URL        the platform's gateway (default {DefaultGateway})
              --data DIR           folder with {SeedData.OrganisationsFile}, {SeedData.AccountsFile}, {ReferralSeedData.ReferralsFile},
                                   {TrainingSeedData.TrainingFile} and {ProjectSeedData.ProjectsFile} (default {DefaultDataDirectory})
              --timeout SECONDS    how long each request is retried while the platform is unreachable or
                                   answers 502/503/504, and how long the run waits in all for Referrals (and
                                   then Training) to learn the organisations from the Directory's events
                                   (default {DefaultTimeoutSeconds})
              -h, --help           this text

            Signs in as the first "admin" account of {SeedData.AccountsFile} and registers every organisation of
            {SeedData.OrganisationsFile}; organisations already there (409) are left as they are. Then creates the
            referrals of {ReferralSeedData.ReferralsFile} and takes each to its status, signed in as the staff accounts of
            its sender and receiver; referrals already there (409) are left as they are, their steps not replayed.
            Next, as the coordinator of {TrainingSeedData.TrainingFile} and the staff accounts, publishes its training modules,
            schedules its sessions (dates relative to today) with their registrations, and records its joint interventions;
            what is already there (same module title; same module and start; same date, département and description)
            is not created again, only completed (revision, retirement, missing registrations, cancellation).
            Last, as the accounts of {ProjectSeedData.ProjectsFile}, creates its projects and plays their steps (partners, funding
            lines and decisions, milestones, stages one at a time) with dates moved to the current month, then their
            support requests, answered and closed by its coordinator; a project whose title is already there is left as it
            is, its steps and support requests not replayed.
            Finally, as the first national coordinator, posts the aids of {AidSeeder.AidsFile} (published, "à vérifier": never verified;
            fixed ids, 409 = already there) and designates the referents of {AidSeeder.ReferentsFile} where none are yet.
            Exit codes: 0 done, 1 a sign-in, an organisation, a referral, a training or a project item refused, 2 bad arguments or data,
            3 platform unreachable, 130 interrupted.
            """;

        public static ParsedCommandLine Parse(IReadOnlyList<string> args)
        {
            var gateway = DefaultGateway;
            var data = DefaultDataDirectory;
            var timeout = DefaultTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
            var seen = new HashSet<string>();

            for (var i = 0; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg is "-h" or "--help" or "-?")
                    return new ParsedCommandLine(null, null, ShowHelp: true);

                // Both "--name value" and "--name=value".
                var (name, inlineValue) = arg.IndexOf('=') is var eq and > 0 && arg.StartsWith("--", StringComparison.Ordinal)
                    ? (arg[..eq], arg[(eq + 1)..])
                    : (arg, null);
                if (name is not ("--gateway" or "--data" or "--timeout"))
                    return Fail(arg.StartsWith('-') ? $"unknown option '{arg}'." : $"unexpected argument '{arg}'.");
                if (!seen.Add(name))
                    return Fail($"{name} is given twice.");
                string? value = inlineValue;
                if (value is null)
                {
                    if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                        return Fail($"{name} needs a value.");
                    value = args[++i];
                }
                if (value.Length == 0)
                    return Fail($"{name} needs a value.");

                switch (name)
                {
                    case "--gateway": gateway = value; break;
                    case "--data": data = value; break;
                    default: timeout = value; break;
                }
            }

            if (!Uri.TryCreate(gateway, UriKind.Absolute, out var gatewayUri)
                || gatewayUri.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(gatewayUri.Query) || !string.IsNullOrEmpty(gatewayUri.Fragment))
                return Fail($"--gateway must be an http(s) URL such as {DefaultGateway}, not '{gateway}'.");
            // A trailing slash so that relative paths resolve under a gateway mounted on a path prefix too.
            if (!gatewayUri.AbsolutePath.EndsWith('/'))
                gatewayUri = new Uri(gatewayUri.AbsoluteUri + "/");

            if (!double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
                || !double.IsFinite(seconds) || seconds <= 0 || seconds > 3600)
                return Fail($"--timeout must be a number of seconds between 0 and 3600, not '{timeout}'.");

            return new ParsedCommandLine(new SeedOptions(gatewayUri, data, TimeSpan.FromSeconds(seconds)), null, false);
        }

        private static ParsedCommandLine Fail(string error) => new(null, error, false);
    }
}
