using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordination.DemoSeed;

public enum SituationCategory { IntrafamilyViolence, SexualViolence, Assault, PropertyOffence, RoadAccident, OtherNonPenal }

public enum Urgency { Immediate, Within24Hours, Standard }

public enum AgeBand { Under18, From18To25, From26To40, From41To60, Over60 }

public enum ContactChannelKind { Phone, Email, ThroughSender, Other }

public enum ConsentMethod { Oral, Written }

/// <summary>
/// The statuses a demo referral can end in. "expired" (and the overdue flag) are missing on purpose: only the
/// server's clock sets them, once a deadline has passed; no command produces them.
/// </summary>
public enum ReferralStatus { Draft, Sent, Acknowledged, OnHold, Accepted, InProgress, Completed, Declined, Redirected, Withdrawn, EnteredInError }

/// <summary>
/// One referral of referrals.json: the body of <c>POST /api/referrals</c> (id, receiverOrganisationId, departement,
/// person, situation, needs, urgency, note, consent, send), plus what the seeder needs to play it: the demo account that
/// sends it, the commands that follow, and the status it must end in (checked once the steps are done).
/// <see cref="DaysAgo"/>: played that many days in the past on Referrals' demo clock, so that the deadline watcher then
/// finds it overdue or expired (its expected status is the one right after the steps).
/// </summary>
public sealed record ReferralSeed(
    Guid Id, string Sender, Guid ReceiverOrganisationId, string Departement, PersonSeed Person, SituationCategory Situation,
    IReadOnlyList<string> Needs, Urgency Urgency, ReferralStatus ExpectedStatus,
    string? Note = null, ConsentSeed? Consent = null, bool Send = true, IReadOnlyList<ReferralStepSeed>? Steps = null,
    int? DaysAgo = null)
{
    public IReadOnlyList<ReferralStepSeed> StepsOrNone => Steps ?? [];

    /// <summary>Exactly the API's fields: it refuses unknown ones.</summary>
    public DraftReferralBody ToRequest() =>
        new(Id, ReceiverOrganisationId, Departement, Person, Situation, Needs, Urgency, Note, Consent, Send);
}

public sealed record DraftReferralBody(
    Guid Id, Guid ReceiverOrganisationId, string Departement, PersonSeed Person, SituationCategory Situation,
    IReadOnlyList<string> Needs, Urgency Urgency, string? Note, ConsentSeed? Consent, bool Send);

public sealed record PersonSeed(AgeBand AgeBand, bool MinorsInvolved, string? FirstName = null, ContactSeedChannel? Contact = null);

public sealed record ContactSeedChannel(ContactChannelKind Kind, string? Value = null);

public sealed record ConsentSeed(ConsentMethod Method, SharingScopeSeed Scope);

public sealed record SharingScopeSeed(bool Identity, bool Situation, bool Needs);

/// <summary>
/// One command on a referral: <c>POST /api/referrals/{id}/{action}</c> as the demo account <see cref="By"/>, with
/// <see cref="Body"/> (<c>{}</c> when absent). "messages/read" takes no body in the file: it marks read up to the
/// latest message, whose id the seeder looks up. A "redirection" ends the referral; its
/// <see cref="NewReferralSteps"/> are played on the new referral it creates.
/// </summary>
public sealed record ReferralStepSeed(string By, string Action, JsonObject? Body = null, IReadOnlyList<ReferralStepSeed>? NewReferralSteps = null);

public static class ReferralSteps
{
    public enum Actor { Sender, Receiver, Either }

    public sealed record ActionRule(Actor Actor, string[] Fields, string[] Required);

    public const string Redirection = "redirection";
    public const string MarkMessagesRead = "messages/read";

    /// <summary>The commands of the Referrals API, who may give them and the body fields each one takes.</summary>
    public static readonly IReadOnlyDictionary<string, ActionRule> Actions = new Dictionary<string, ActionRule>
    {
        ["sending"] = new(Actor.Sender, [], []),
        ["withdrawal"] = new(Actor.Sender, ["reason"], ["reason"]),
        ["entered-in-error"] = new(Actor.Sender, ["reason"], ["reason"]),
        ["acknowledgement"] = new(Actor.Receiver, [], []),
        ["hold"] = new(Actor.Receiver, ["reason"], ["reason"]),
        ["resumption"] = new(Actor.Receiver, [], []),
        ["acceptance"] = new(Actor.Receiver, [], []),
        ["decline"] = new(Actor.Receiver, ["reasons", "message", "declinedBy"], ["reasons", "message", "declinedBy"]),
        [Redirection] = new(Actor.Receiver, ["newReceiverOrganisationId", "message"], ["newReceiverOrganisationId", "message"]),
        ["first-contact"] = new(Actor.Receiver, ["contactedAt"], []),
        ["completion"] = new(Actor.Receiver, ["outcome", "note"], ["outcome"]),
        ["messages"] = new(Actor.Either, ["text"], ["text"]),
        [MarkMessagesRead] = new(Actor.Either, [], []),
    };
}

public static class ReferralSeedData
{
    public const string ReferralsFile = "referrals.json";

    /// <summary>Roles that act on referrals (for an organisation).</summary>
    public static readonly IReadOnlySet<string> StaffRoles = new HashSet<string> { "iscg_worker", "association_staff", "partner_staff" };

    /// <summary>
    /// Reads referrals.json and checks it against the accounts and organisations, so that a mistake in the file is
    /// reported before anything is sent rather than as a refusal halfway through a referral.
    /// </summary>
    public static IReadOnlyList<ReferralSeed> Load(
        string dataDirectory, IReadOnlyList<AccountSeed> accounts, IReadOnlyList<OrganisationSeed> organisations)
    {
        var path = Path.Combine(dataDirectory, ReferralsFile);
        var referrals = SeedData.Load<List<ReferralSeed>>(dataDirectory, ReferralsFile);
        var accountsByName = accounts.ToDictionary(a => a.Username, StringComparer.Ordinal);
        var organisationsById = organisations.ToDictionary(o => o.Id);
        var problems = new List<string>();

        foreach (var duplicate in referrals.GroupBy(r => r.Id).Where(g => g.Count() > 1))
            problems.Add($"id {duplicate.Key} is used {duplicate.Count()} times");
        foreach (var (referral, index) in referrals.Select((r, i) => (r, i)))
        {
            var where = $"referral #{index + 1} ({referral.Id})";
            if (referral.Id == Guid.Empty) problems.Add($"{where}: the id must not be empty (fixed ids keep the seed idempotent)");
            if (referral.Needs.Count == 0) problems.Add($"{where}: no need");
            if (referral.Send && referral.Consent is null)
                problems.Add($"{where}: a referral sent at once needs the person's consent (\"consent\")");
            if (referral.Person.Contact is { Kind: ContactChannelKind.Phone or ContactChannelKind.Email, Value: null or "" })
                problems.Add($"{where}: a phone or email contact needs a value");

            var sender = Staff(referral.Sender, $"{where}: sender", accountsByName, problems);
            if (!Receives(referral.ReceiverOrganisationId, $"{where}: receiver", organisationsById, problems, out var receiver))
                continue;
            if (!receiver.Departements.Contains(referral.Departement))
                problems.Add($"{where}: the receiver '{receiver.Name}' does not work in département {referral.Departement}");
            if (sender?.OrganisationId is not { } senderOrganisation) continue;
            if (senderOrganisation == receiver.Id) problems.Add($"{where}: sender and receiver are the same organisation");
            CheckSteps(referral.StepsOrNone, senderOrganisation, receiver.Id, where, accountsByName, organisationsById, problems);
        }
        if (problems.Count > 0)
            throw new SeedDataException($"{path}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        return referrals;
    }

    private static void CheckSteps(
        IReadOnlyList<ReferralStepSeed> steps, Guid senderOrganisation, Guid receiverOrganisation, string where,
        Dictionary<string, AccountSeed> accounts, Dictionary<Guid, OrganisationSeed> organisations, List<string> problems)
    {
        foreach (var (step, index) in steps.Select((s, i) => (s, i)))
        {
            var at = $"{where}, step #{index + 1} ({step.Action})";
            if (!ReferralSteps.Actions.TryGetValue(step.Action, out var rule))
            {
                problems.Add($"{at}: unknown action (known: {string.Join(", ", ReferralSteps.Actions.Keys)})");
                continue;
            }

            if (Staff(step.By, $"{at}: \"by\"", accounts, problems) is { OrganisationId: { } actor })
            {
                var allowed = rule.Actor switch
                {
                    ReferralSteps.Actor.Sender => actor == senderOrganisation,
                    ReferralSteps.Actor.Receiver => actor == receiverOrganisation,
                    _ => actor == senderOrganisation || actor == receiverOrganisation,
                };
                if (!allowed)
                    problems.Add($"{at}: '{step.By}' is not staff of the {rule.Actor.ToString().ToLowerInvariant()} organisation" +
                        (rule.Actor == ReferralSteps.Actor.Either ? "s" : ""));
            }

            var fields = step.Body?.Select(p => p.Key).ToList() ?? [];
            foreach (var unknown in fields.Except(rule.Fields))
                problems.Add($"{at}: the body field \"{unknown}\" is not one of this action's" +
                    (rule.Fields.Length == 0 ? " (it takes none)" : $" ({string.Join(", ", rule.Fields)})"));
            foreach (var missing in rule.Required.Except(fields))
                problems.Add($"{at}: the body needs \"{missing}\"");

            if (step.Action != ReferralSteps.Redirection)
            {
                if (step.NewReferralSteps is not null) problems.Add($"{at}: \"newReferralSteps\" only follow a redirection");
                continue;
            }
            if (index != steps.Count - 1) problems.Add($"{at}: a redirection ends the referral, it must be its last step");
            if (step.Body?["newReceiverOrganisationId"] is not JsonValue value || !value.TryGetValue<string>(out var text)
                || !Guid.TryParse(text, out var newReceiver))
            {
                problems.Add($"{at}: \"newReceiverOrganisationId\" must be an organisation id");
                continue;
            }
            if (!Receives(newReceiver, $"{at}: new receiver", organisations, problems, out _)) continue;
            if (newReceiver == senderOrganisation || newReceiver == receiverOrganisation)
                problems.Add($"{at}: redirect to another organisation than the sender and the receiver");
            // The new referral goes from the redirecting organisation (the receiver) to the new one.
            CheckSteps(step.NewReferralSteps ?? [], receiverOrganisation, newReceiver, $"{at}, new referral", accounts, organisations, problems);
        }
    }

    private static AccountSeed? Staff(string username, string what, Dictionary<string, AccountSeed> accounts, List<string> problems)
    {
        if (!accounts.TryGetValue(username, out var account))
            problems.Add($"{what}: no account '{username}' in {SeedData.AccountsFile}");
        else if (!StaffRoles.Contains(account.Role) || account.OrganisationId is null)
            problems.Add($"{what}: '{username}' does not act for an organisation (role {account.Role})");
        else return account;
        return null;
    }

    private static bool Receives(
        Guid id, string what, Dictionary<Guid, OrganisationSeed> organisations, List<string> problems, out OrganisationSeed organisation)
    {
        if (!organisations.TryGetValue(id, out organisation!))
            problems.Add($"{what}: no organisation {id} in {SeedData.OrganisationsFile}");
        else if (!organisation.AcceptsReferrals)
            problems.Add($"{what}: '{organisation.Name}' does not accept referrals");
        else return true;
        return false;
    }

    /// <summary>The API's spelling of a status (camelCase).</summary>
    public static string ApiName(ReferralStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
}
