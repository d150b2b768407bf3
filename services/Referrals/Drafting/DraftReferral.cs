using System.Net.Mail;
using System.Security.Cryptography;
using Coordination.ReferenceData;
using Coordination.DirectoryView;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.Sending;
using Microsoft.Extensions.Options;

namespace Coordination.Referrals.Drafting;

public sealed record PersonRequest(string? FirstName, ContactChannelRequest? Contact, AgeBand? AgeBand, bool? MinorsInvolved);

public sealed record ContactChannelRequest(ContactChannelKind? Kind, string? Value);

/// <param name="AnyReceiver">The person agrees that, should this organisation not help, another may receive the same
/// information without asking again.</param>
public sealed record ConsentRequest(ConsentMethod? Method, SharingScopeRequest? Scope, bool? AnyReceiver = null);

public sealed record SharingScopeRequest(bool? Identity, bool? Situation, bool? Needs);

public sealed record ConsentOverrideRequest(string? Justification);

/// <param name="Send">true (default): hand off now; false: keep as a draft to send later.</param>
public sealed record DraftReferralRequest(
    Guid? Id, Guid? ReceiverOrganisationId, string? Departement, PersonRequest? Person, SituationCategory? Situation,
    IReadOnlyList<string>? Needs, Urgency? Urgency, string? Note, ConsentRequest? Consent, ConsentOverrideRequest? ConsentOverride,
    bool? Send);

public sealed record DraftReferral(
    Guid ReferralId, Party Sender, Guid ReceiverOrganisationId, string Departement, PersonDetails Person,
    SituationCategory Situation, IReadOnlyList<string> Needs, Urgency Urgency, string? Note,
    ConsentMethod? ConsentMethod, SharingScope? Scope, string? OverrideJustification, DateTimeOffset At, Guid? DataSubjectId = null,
    bool ConsentCoversAnyReceiver = false, string? ReferenceDigest = null);

public sealed record ReferralCreated(
    Guid Id, string PseudonymousReference, [property: System.Text.Json.Serialization.JsonConverter(typeof(ReferralStatusCode))] ReferralStatus Status,
    long Version);

public sealed class ReferralOptions
{
    /// <summary>Roles that may send without the person's consent (with a justification). Empty: nobody.</summary>
    public string[] ConsentOverrideRoles { get; set; } = ["iscg_worker"];

    /// <summary>Keys the digest that finds a referral by its pseudonymous reference (set a secret in production).</summary>
    public string ReferenceSearchKey { get; set; } = "coordination-development-reference-search-key";
}

public static class DraftReferralEndpoint
{
    public const int MinJustificationLength = 20;

    public static IReadOnlyList<object> Decide(DraftReferral command)
    {
        var events = new List<object>
        {
            new ReferralDrafted(command.ReferralId, command.Sender, command.ReceiverOrganisationId, command.Departement,
                command.Person, command.Situation, command.Needs, command.Urgency, command.Note, null, command.At, command.DataSubjectId,
                ReferenceDigest: command.ReferenceDigest),
        };
        if (command.ConsentMethod is { } method && command.Scope is { } scope)
            events.Add(new ConsentRecorded(command.ReferralId, method, scope, command.Sender, command.At, command.ConsentCoversAnyReceiver));
        else if (command.OverrideJustification is { } justification)
            events.Add(new ConsentOverridden(command.ReferralId, justification, command.Sender, command.At));
        return events;
    }

    public static RouteGroupBuilder MapDraftReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/", Handle)
            .WithName("DraftReferral")
            .WithSummary("Hand a person off to another organisation (send: true, the default) or keep a draft.");
        return group;
    }

    private static async Task<Results<Created<ReferralCreated>, ValidationProblem>> Handle(
        DraftReferralRequest request, HttpContext http, IDocumentSession session, TimeProvider time,
        DeadlinePolicy deadlines, IOptions<ReferralOptions> options, CancellationToken ct)
    {
        var sender = ReferralActor.From(http.User);
        var errors = new ReferralValidation();
        var person = errors.Person(request.Person);
        var departement = errors.Departement(request.Departement);
        var needs = errors.Needs(request.Needs);
        if (request.Situation is null) errors.Add("situation", "Indiquez la catégorie de situation.");
        if (request.Urgency is null) errors.Add("urgency", "Indiquez l'urgence : immediate, within24Hours ou standard.");
        if (request.ReceiverOrganisationId is null) errors.Add("receiverOrganisationId", "Choisissez l'organisation destinataire.");
        else if (request.ReceiverOrganisationId == sender.OrganisationId)
            errors.Add("receiverOrganisationId", "Une organisation ne s'oriente pas une personne à elle-même.");
        var note = errors.Text(request.Note, "note", 2000, required: false);
        if (request.Id == Guid.Empty) errors.Add("id", "L'identifiant ne peut pas être nul.");

        SharingScope? scope = null;
        string? justification = null;
        if (request.Consent is not null && request.ConsentOverride is not null)
            errors.Add("consentOverride", "Le consentement est recueilli : pas de dérogation à justifier.");
        else if (request.Consent is { } consent)
            scope = errors.Consent(consent);
        else if (request.ConsentOverride is { } overriding)
        {
            var role = Coordination.ServiceDefaults.Security.CurrentUser.From(http.User).Role;
            if (!options.Value.ConsentOverrideRoles.Contains(role))
                errors.Add("consentOverride", "Votre rôle ne permet pas d'orienter sans le consentement de la personne.");
            justification = errors.Text(overriding.Justification, "consentOverride.justification", 2000, required: true);
            if (justification is { Length: < MinJustificationLength })
                errors.Add("consentOverride.justification", $"Justifiez la dérogation (au moins {MinJustificationLength} caractères).");
        }
        var send = request.Send ?? true;
        if (send && request.Consent is null && request.ConsentOverride is null)
            errors.Add("consent", "Une orientation ne peut pas être envoyée sans le consentement recueilli de la personne.");
        if (!errors.IsValid)
            return Problems.Invalid(errors.Errors);

        var receiver = await session.LoadAsync<KnownOrganisation>(request.ReceiverOrganisationId!.Value, ct);
        if (receiver is not { Registered: true, Active: true })
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["receiverOrganisationId"] = ["Organisation destinataire inconnue ou désactivée dans l'annuaire."],
            });

        var now = time.GetUtcNow();
        var referralId = request.Id ?? Guid.CreateVersion7();
        // A new person, a new key: the personal fields are sealed before they reach any event (see Privacy/PersonalData).
        // The person's id is random, not the referral's: a retried POST then fails on the stream (409), not on the key.
        var subject = Guid.CreateVersion7();
        var sealer = Privacy.Sealer.ForNewPerson(session, subject, now);
        var sealedPerson = person! with
        {
            PseudonymousReference = sealer.Seal(person.PseudonymousReference),
            FirstName = sealer.SealOrNull(person.FirstName),
            Contact = person.Contact is { } contact ? contact with { Value = sealer.SealOrNull(contact.Value) } : null,
        };
        var command = new DraftReferral(referralId, sender, receiver.Id, departement!, sealedPerson,
            request.Situation!.Value, needs, request.Urgency!.Value, sealer.SealOrNull(note), request.Consent?.Method, scope,
            sealer.SealOrNull(justification), now, subject, request.Consent?.AnyReceiver ?? false,
            ListingReferrals.ReferenceSearch.Digest(person.PseudonymousReference, options.Value.ReferenceSearchKey));
        var events = Decide(command).ToList();
        if (send)
        {
            var state = events.OfType<ReferralEvent>().Aggregate((Referral?)null, ReferralEvolution.Evolve)!;
            events.AddRange(SendReferralEndpoint.Decide(new SendReferral(sender, deadlines.For(command.Urgency, command.Departement, now), now), state, receiver));
        }

        session.Events.StartStream<Referral>(command.ReferralId, events);
        Auditing.ReferralAudit.StartFor(session, command.ReferralId, now);
        await session.SaveChangesAsync(ct);

        http.Response.SetETag(events.Count);
        return TypedResults.Created($"/api/referrals/{command.ReferralId}",
            new ReferralCreated(command.ReferralId, person!.PseudonymousReference, send ? ReferralStatus.Sent : ReferralStatus.Draft, events.Count));
    }

    /// <summary>A short reference professionals can say on the phone instead of the person's name.</summary>
    public static string NewPseudonymousReference()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return "P-" + string.Create(8, 0, (chars, _) =>
        {
            for (var i = 0; i < chars.Length; i++)
                chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}

public sealed class ReferralValidation : FieldValidation
{
    /// <summary>How (oral/written) and what the person agreed to share; null when incomplete (errors added).</summary>
    public SharingScope? Consent(ConsentRequest consent)
    {
        if (consent.Method is null) Add("consent.method", "Précisez si le consentement est oral ou écrit.");
        if (consent.Scope is not { Identity: not null, Situation: not null, Needs: not null })
        {
            Add("consent.scope", "Précisez ce que la personne accepte de partager : identity, situation, needs (true/false).");
            return null;
        }
        return consent.Method is null ? null : new SharingScope(consent.Scope.Identity.Value, consent.Scope.Situation.Value, consent.Scope.Needs.Value);
    }

    public string? Departement(string? code)
    {
        if (string.IsNullOrEmpty(code)) { Add("departement", "Indiquez le département (code INSEE) où se trouve la personne."); return null; }
        if (!Vocabularies.Departements.ContainsKey(code)) { Add("departement", "Ce n'est pas un code de département INSEE."); return null; }
        return code;
    }

    public string[] Needs(IReadOnlyList<string>? codes)
    {
        if (codes is null || codes.Count == 0) { Add("needs", "Indiquez au moins un besoin (code data·inclusion)."); return []; }
        foreach (var code in codes.Where(c => !Vocabularies.Needs.ContainsKey(c ?? "")).Distinct())
            Add("needs", $"« {(code is { Length: > 40 } ? code[..40] + "…" : code)} » n'est pas un besoin connu du référentiel.");
        return [.. codes.Distinct().Order(StringComparer.Ordinal)];
    }

    public PersonDetails? Person(PersonRequest? person)
    {
        if (person is null) { Add("person", "Décrivez la personne orientée (au minimum sa tranche d'âge)."); return null; }
        var firstName = Text(person.FirstName, "person.firstName", 100, required: false);
        if (person.AgeBand is null) Add("person.ageBand", "Indiquez la tranche d'âge.");
        if (person.MinorsInvolved is null) Add("person.minorsInvolved", "Indiquez si des mineurs sont concernés.");
        ContactChannel? contact = null;
        if (person.Contact is { } channel)
        {
            var value = Text(channel.Value, "person.contact.value", 200, required: channel.Kind is ContactChannelKind.Phone or ContactChannelKind.Email);
            if (channel.Kind is null) Add("person.contact.kind", "Précisez le moyen de contact : phone, email, throughSender ou other.");
            else if (channel.Kind == ContactChannelKind.Phone && value is not null
                     && !value.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '.' or '-' or '(' or ')'))
                Add("person.contact.value", "Le téléphone ne peut contenir que des chiffres, espaces et + . - ( ).");
            else if (channel.Kind == ContactChannelKind.Email && value is not null && !MailAddress.TryCreate(value, out _))
                Add("person.contact.value", "L'adresse électronique n'est pas valide.");
            if (channel.Kind is { } kind) contact = new ContactChannel(kind, value);
        }
        return person.AgeBand is { } ageBand && person.MinorsInvolved is { } minors
            ? new PersonDetails(DraftReferralEndpoint.NewPseudonymousReference(), firstName, contact, ageBand, minors)
            : null;
    }
}
