namespace Coordination.Referrals.RecordingFirstContact;

/// <param name="ContactedAt">When the person was first reached (defaults to now).</param>
public sealed record RecordFirstContactRequest(DateTimeOffset? ContactedAt);

public sealed record RecordFirstContact(DateTimeOffset ContactedAt, Party By, DateTimeOffset At);

public static class RecordFirstContactEndpoint
{
    public static readonly ReferralAction Action =
        new("first-contact", probe => Decide(new RecordFirstContact(probe.Now, probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(RecordFirstContact command, Referral state)
    {
        state.EnsureReceiver(command.By, "enregistrer le premier contact");
        state.EnsureStatus("enregistrer le premier contact", ReferralStatus.Accepted);
        if (command.ContactedAt > command.At)
            throw new BusinessRuleViolation("La date du premier contact ne peut pas être dans le futur.");
        if (state.SentAt is { } sentAt && command.ContactedAt < sentAt)
            throw new BusinessRuleViolation("Le premier contact ne peut pas précéder l'envoi de l'orientation.");
        return [new FirstContactRecorded(state.Id, command.ContactedAt, command.By, command.At)];
    }

    public static RouteGroupBuilder MapRecordFirstContact(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/first-contact", (Guid id, RecordFirstContactRequest request, ExpectedVersion expected,
                HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var now = time.GetUtcNow();
                return ReferralCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new RecordFirstContact(request.ContactedAt ?? now, actor, now), state), ct);
            })
            .WithName("RecordFirstContact")
            .WithSummary("The receiver reached the person: the referral is in progress.");
        return group;
    }
}
