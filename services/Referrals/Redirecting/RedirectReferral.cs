using Coordination.DirectoryView;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.GettingDetails;

namespace Coordination.Referrals.Redirecting;

public sealed record RedirectReferralRequest(Guid? NewReceiverOrganisationId, string? Message);

public sealed record RedirectReferral(
    Guid NewReferralId, KnownOrganisation? NewReceiver, string Message,
    (DateTimeOffset AcknowledgeBy, DateTimeOffset ExpiresAt) Deadlines, Party By, DateTimeOffset At);

public sealed record Redirection(IReadOnlyList<object> OnOriginal, IReadOnlyList<object> OnNew);

public static class RedirectReferralEndpoint
{
    public static readonly ReferralAction Action = new("redirection", probe => Decide(new RedirectReferral(Guid.Empty,
        ActionProbe.AnyOtherReceiver, "", (probe.Now, probe.Now), probe.By, probe.Now), probe.State, probe.Details).OnOriginal);

    /// <summary>
    /// The receiver forwards the person to a better-suited organisation: the original ends as "redirected" and a
    /// new referral, linked to it, goes from the redirecting organisation to the new one with the same consent scope.
    /// The collector (who met the person) stays the owner of the person's data on the new hop: the redirecting
    /// organisation sees it as it saw the original as a receiver, and cannot erase it.
    /// </summary>
    public static Redirection Decide(RedirectReferral command, Referral state, ReferralDetails original)
    {
        state.EnsureReceiver(command.By, "réorienter la personne");
        state.EnsureStatus("réorienter la personne", ReferralStatus.Sent, ReferralStatus.Acknowledged, ReferralStatus.OnHold, ReferralStatus.Accepted);
        if (command.NewReceiver is not { CanReceiveReferrals: true } receiver)
            throw new BusinessRuleViolation("L'organisation choisie n'accepte pas d'orientations actuellement : choisissez-en une autre.");
        if (receiver.Id == state.ReceiverOrganisationId || receiver.Id == state.SenderOrganisationId || receiver.Id == state.Collector)
            throw new BusinessRuleViolation(
                "Réorientez vers une autre organisation que celle qui a recueilli la personne, l'expéditrice et la destinataire actuelles.");

        IReadOnlyList<object> onNew =
        [
            new ReferralDrafted(command.NewReferralId, command.By, receiver.Id, original.Departement, original.Person,
                original.Situation, original.Needs, original.Urgency, original.Note, state.Id, command.At, original.Subject,
                CollectorOrganisationId: state.Collector, ReferenceDigest: original.ReferenceDigest),
            original.Consent is { } consent
                ? new ConsentRecorded(command.NewReferralId, consent.Method, consent.Scope, consent.By, consent.At, consent.AnyReceiver)
                : new ConsentOverridden(command.NewReferralId, original.ConsentOverride!.Justification, original.ConsentOverride.By, original.ConsentOverride.At),
            new ReferralSent(command.NewReferralId, command.Deadlines.AcknowledgeBy, command.Deadlines.ExpiresAt, command.By, command.At),
        ];
        return new Redirection(
            [new ReferralRedirected(state.Id, command.NewReferralId, receiver.Id, command.Message, command.By, command.At)], onNew);
    }

    public static RouteGroupBuilder MapRedirectReferral(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/redirection", async Task<Results<Created<RedirectionResult>, ValidationProblem>> (
                Guid id, RedirectReferralRequest request, ExpectedVersion expected, HttpContext http, IDocumentSession session,
                TimeProvider time, DeadlinePolicy deadlines, CancellationToken ct) =>
            {
                var errors = new Drafting.ReferralValidation();
                if (request.NewReceiverOrganisationId is null)
                    errors.Add("newReceiverOrganisationId", "Choisissez l'organisation vers laquelle réorienter.");
                var message = errors.Text(request.Message, "message", 2000, required: true);
                if (!errors.IsValid) return Problems.Invalid(errors.Errors);

                var newReceiver = await session.LoadAsync<KnownOrganisation>(request.NewReceiverOrganisationId!.Value, ct);
                var original = await session.LoadAsync<ReferralDetails>(id, ct);
                var newReferralId = Guid.CreateVersion7();
                var sealer = await Privacy.Sealer.ForReferral(session, id, time.GetUtcNow(), ct);
                Redirection? redirection = null;
                await ReferralCommand.Execute(id, expected, http, session, (state, actor) =>
                {
                    var now = time.GetUtcNow();
                    // The same person, so the same key: the copied fields stay sealed as they are, and erasing one erases both.
                    redirection = Decide(new RedirectReferral(newReferralId, newReceiver, sealer.Seal(message!), deadlines.For(state.Urgency, state.Departement, now), actor, now),
                        state, original!);
                    // Same transaction as the original's events: both referrals change, or neither.
                    session.Events.StartStream<Referral>(newReferralId, redirection.OnNew);
                    Auditing.ReferralAudit.StartFor(session, newReferralId, now);
                    return redirection.OnOriginal;
                }, ct);
                return TypedResults.Created($"/api/referrals/{newReferralId}", new RedirectionResult(newReferralId));
            })
            .WithName("RedirectReferral")
            .WithSummary("Forward the person to a better-suited organisation: creates a linked referral, ends this one.");
        return group;
    }
}

public sealed record RedirectionResult(Guid NewReferralId);
