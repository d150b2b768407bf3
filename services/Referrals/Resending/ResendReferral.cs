using Coordination.DirectoryView;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.GettingDetails;

namespace Coordination.Referrals.Resending;

/// <param name="Consent">Required only when the person's consent did not cover any receiver (<c>anyReceiver</c>).</param>
public sealed record ResendReferralRequest(Guid? ReceiverOrganisationId, Urgency? Urgency, ConsentRequest? Consent);

public sealed record ResendReferral(
    Guid NewReferralId, KnownOrganisation? NewReceiver, Urgency? Urgency, ConsentRecorded? NewConsent,
    (DateTimeOffset AcknowledgeBy, DateTimeOffset ExpiresAt) Deadlines, Party By, DateTimeOffset At);

public sealed record Resending(IReadOnlyList<object> OnOriginal, IReadOnlyList<object> OnNew);

public sealed record ResendResult(Guid NewReferralId);

/// <summary>
/// "Orienter ailleurs": after a decline or an expiry, the collector hands the person to another organisation in one
/// step. The new referral is pre-filled from the old one (same person and key, situation, needs, note), linked to
/// it both ways; the consent is reused only when the person agreed to sharing with any receiver, otherwise it is
/// asked again.
/// </summary>
public static class ResendReferralEndpoint
{
    public static readonly ReferralAction Action = new("resending", probe => Decide(
        new ResendReferral(Guid.Empty, ActionProbe.AnyOtherReceiver, null,
            new ConsentRecorded(Guid.Empty, ConsentMethod.Oral, new SharingScope(false, false, true), probe.By, probe.Now),
            (probe.Now, probe.Now), probe.By, probe.Now), probe.State, probe.Details).OnOriginal);

    public static Resending Decide(ResendReferral command, Referral state, ReferralDetails original)
    {
        if (command.By.OrganisationId != state.Collector)
            throw new AccessDenied("Seule l'organisation qui a recueilli la personne peut l'orienter ailleurs.");
        state.EnsureStatus("orienter la personne ailleurs", ReferralStatus.Declined, ReferralStatus.Expired);
        if (state.ResentTo is not null)
            throw new BusinessRuleViolation("La personne a déjà été orientée ailleurs après cette orientation : suivez la nouvelle.");
        if (state.Erased)
            throw new BusinessRuleViolation("Les données de la personne ont été effacées : rien ne peut plus être transmis.");
        if (command.NewReceiver is not { CanReceiveReferrals: true } receiver)
            throw new BusinessRuleViolation("L'organisation choisie n'accepte pas d'orientations actuellement : choisissez-en une autre.");
        if (receiver.Id == state.ReceiverOrganisationId || receiver.Id == state.Collector)
            throw new BusinessRuleViolation("Choisissez une autre organisation que celle qui a refusé ou laissé expirer l'orientation.");

        var consent = command.NewConsent
            ?? (original.Consent is { AnyReceiver: true } given
                ? new ConsentRecorded(command.NewReferralId, given.Method, given.Scope, given.By, given.At, AnyReceiver: true)
                : throw new InvalidRequest(new Dictionary<string, string[]>
                {
                    ["consent"] = ["Le consentement recueilli ne valait que pour l'organisation initiale : recueillez-le à nouveau pour celle-ci."],
                }));
        var urgency = command.Urgency ?? original.Urgency;
        IReadOnlyList<object> onNew =
        [
            new ReferralDrafted(command.NewReferralId, command.By, receiver.Id, original.Departement, original.Person, original.Situation,
                original.Needs, urgency, original.Note, null, command.At, original.Subject,
                CollectorOrganisationId: state.Collector, ResentFrom: state.Id, ReferenceDigest: original.ReferenceDigest),
            consent with { ReferralId = command.NewReferralId },
            new ReferralSent(command.NewReferralId, command.Deadlines.AcknowledgeBy, command.Deadlines.ExpiresAt, command.By, command.At),
        ];
        return new Resending([new ReferralResent(state.Id, command.NewReferralId, receiver.Id, command.By, command.At)], onNew);
    }

    public static RouteGroupBuilder MapResendReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/resending", async Task<Results<Created<ResendResult>, ValidationProblem>> (
                Guid id, ResendReferralRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, DeadlinePolicy deadlines, CancellationToken ct) =>
            {
                var errors = new ReferralValidation();
                if (request.ReceiverOrganisationId is null)
                    errors.Add("receiverOrganisationId", "Choisissez l'organisation vers laquelle orienter la personne.");
                var scope = request.Consent is null ? null : errors.Consent(request.Consent);
                if (!errors.IsValid) return Problems.Invalid(errors.Errors);

                var newReceiver = await session.LoadAsync<KnownOrganisation>(request.ReceiverOrganisationId!.Value, ct);
                var original = await session.LoadAsync<ReferralDetails>(id, ct);
                var newReferralId = Guid.CreateVersion7();
                await ReferralCommand.Execute(id, expected, http, session, (state, actor) =>
                {
                    var now = time.GetUtcNow();
                    var urgency = request.Urgency ?? state.Urgency;
                    var consent = scope is null ? null
                        : new ConsentRecorded(newReferralId, request.Consent!.Method!.Value, scope, actor, now, request.Consent.AnyReceiver ?? false);
                    var resending = Decide(new ResendReferral(newReferralId, newReceiver, urgency, consent,
                        deadlines.For(urgency, state.Departement, now), actor, now), state, original!);
                    // Same transaction as the original's event: the link exists both ways, or neither referral changes.
                    session.Events.StartStream<Referral>(newReferralId, resending.OnNew);
                    Auditing.ReferralAudit.StartFor(session, newReferralId, now);
                    return resending.OnOriginal;
                }, ct);
                return TypedResults.Created($"/api/referrals/{newReferralId}", new ResendResult(newReferralId));
            })
            .WithName("ResendReferral")
            .WithSummary("After a decline or an expiry, hand the person to another organisation in one step (a new linked referral).");
        return group;
    }
}
