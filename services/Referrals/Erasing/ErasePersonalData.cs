using Coordination.Referrals.GettingDetails;
using Coordination.Referrals.Privacy;

namespace Coordination.Referrals.Erasing;

public sealed record ErasePersonalDataRequest(ErasureGround? Ground, string? Justification);

public sealed record ErasePersonalData(ErasureGround Ground, string? Justification, string ByUserId, Guid? ByOrganisationId, DateTimeOffset At);

/// <summary>
/// Right to erasure (GDPR art. 17) in an append-only store, by crypto-shredding: the person's key is deleted, so every
/// copy of their identity and free texts (events, read models, exports, backups) becomes unreadable, while the
/// non-identifying facts (organisations, département, urgency, statuses, timings, outcome codes) remain for the figures.
/// </summary>
public static class ErasePersonalDataEndpoint
{
    public const int MinJustificationLength = 20;

    public static IReadOnlyList<object> Decide(ErasePersonalData command, Referral state)
    {
        if (state.Erased)
            throw new BusinessRuleViolation("Les données personnelles de cette orientation sont déjà effacées.");
        return [new PersonalDataErased(state.Id, command.Ground, command.Justification, command.ByUserId, command.ByOrganisationId, command.At)];
    }

    /// <summary>
    /// The manager of the organisation that collected the data (the sender, which holds the person's consent) or an
    /// administrator. The receiver and the sender's other staff are refused (403); anyone else learns nothing (404).
    /// </summary>
    public static void Authorize(Referral state, CurrentUser user)
    {
        if (user.Role == Roles.Admin) return;
        if (!Roles.OrganisationStaff.Contains(user.Role) || user.OrganisationId is not { } organisation || !state.Involves(organisation))
            throw new ResourceNotFound();
        if (organisation != state.Collector || !user.IsOrganisationManager)
            throw new AccessDenied("Seul le responsable de l'organisation qui a orienté la personne, ou un administrateur, peut effacer ses données.");
    }

    /// <summary>The justification stays readable after the erasure: it must not say who the person was.</summary>
    public static bool NamesThePerson(string justification, ReferralDetails referral, KeyRing keys)
    {
        string?[] identity = [keys.Reveal(referral.Person.FirstName), keys.Reveal(referral.Person.Contact?.Value), keys.Reveal(referral.Person.PseudonymousReference)];
        var digits = new string(justification.Where(char.IsAsciiDigit).ToArray());
        return identity.Any(value => value is { Length: >= 3 } && value != PersonalData.Erased
            && (justification.Contains(value, StringComparison.OrdinalIgnoreCase)
                || new string(value.Where(char.IsAsciiDigit).ToArray()) is { Length: >= 6 } number && digits.Contains(number, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Deletes the person's key and records the erasure on every referral sealed with it (a redirection keeps the
    /// person), in the caller's transaction. Returns the events for <paramref name="state"/>'s own stream.
    /// </summary>
    public static IReadOnlyList<object> EraseEverywhere(
        IDocumentSession session, Referral state, IEnumerable<Guid> otherReferralsOfThePerson, ErasePersonalData command)
    {
        var events = Decide(command, state);
        foreach (var other in otherReferralsOfThePerson)
            session.Events.Append(other, new PersonalDataErased(other, command.Ground, command.Justification, command.ByUserId, command.ByOrganisationId, command.At));
        session.Delete<PersonalDataKey>(state.Subject);
        return events;
    }

    public static Task<IReadOnlyList<Guid>> OtherReferralsOf(IQuerySession session, Guid subject, Guid except, CancellationToken ct) =>
        session.Query<ReferralDetails>()
            .Where(r => (r.DataSubjectId == subject || r.Id == subject) && r.Id != except && r.ErasedAt == null)
            .Select(r => r.Id).ToListAsync(ct);

    public static RouteGroupBuilder MapErasePersonalData(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/erasure", async Task<Results<NoContent, ValidationProblem>> (Guid id, ErasePersonalDataRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var errors = new Drafting.ReferralValidation();
                if (request.Ground is null or ErasureGround.RetentionPeriodEnded)
                    errors.Add("ground", "Indiquez le fondement de l'effacement : personRequest, consentWithdrawn ou unlawfulProcessing.");
                var justification = errors.Text(request.Justification, "justification", 1000, required: true);
                if (justification is { Length: < MinJustificationLength })
                    errors.Add("justification", $"Justifiez l'effacement (au moins {MinJustificationLength} caractères), sans nommer la personne.");
                if (!errors.IsValid) return Problems.Invalid(errors.Errors);

                var user = CurrentUser.From(http.User);
                var details = await session.LoadAsync<ReferralDetails>(id, ct);
                var keys = details is null ? KeyRing.None : await KeyRing.For(session, [details], ct);
                var others = details is null ? [] : await OtherReferralsOf(session, details.Subject, id, ct);
                return await session.ExecuteCommand<Referral>(id, expected, http, state =>
                    {
                        if (NamesThePerson(justification!, details!, keys))
                            throw new InvalidRequest(new Dictionary<string, string[]>
                            {
                                ["justification"] = ["La justification est conservée après l'effacement : ne nommez pas la personne (prénom, contact, référence)."],
                            });
                        return EraseEverywhere(session, state, others,
                            new ErasePersonalData(request.Ground!.Value, justification, user.UserId, user.OrganisationId, time.GetUtcNow()));
                    }, ct,
                    authorize: state => Authorize(state, user));
            })
            .WithName("EraseReferralPersonalData")
            .WithSummary("Erase the person's data (GDPR art. 17): their key is deleted, their identity and texts become unreadable everywhere.");
        return group;
    }
}
