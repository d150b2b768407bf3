namespace Coordination.Referrals.Messaging;

public sealed record PostMessageRequest(string? Text);

public sealed record PostMessage(Guid MessageId, string Text, Party By, DateTimeOffset At);

public sealed record MarkMessagesReadRequest(Guid? UpToMessageId);

public sealed record MarkMessagesRead(Guid UpToMessageId, Party By, DateTimeOffset At);

/// <summary>The two parties talk about the case (ask for information, answer) without phoning.</summary>
public static class ReferralMessagesEndpoints
{
    public static readonly ReferralAction PostAction =
        new("messages", probe => Decide(new PostMessage(Guid.Empty, "", probe.By, probe.Now), probe.State));

    public static readonly ReferralAction MarkReadAction = new("messages/read", probe =>
        Decide(new MarkMessagesRead(probe.State.MessageIds.LastOrDefault(), probe.By, probe.Now), probe.State));

    public static IReadOnlyList<object> Decide(PostMessage command, Referral state)
    {
        state.EnsureParty(command.By, "écrire sur l'orientation");
        if (state.IsTerminal || state.Status == ReferralStatus.Draft)
            throw new BusinessRuleViolation($"Impossible d'écrire sur une orientation {ReferralRules.FrenchStatus[state.Status]}.");
        return [new ReferralMessagePosted(state.Id, command.MessageId, command.Text, command.By, command.At)];
    }

    public static IReadOnlyList<object> Decide(MarkMessagesRead command, Referral state)
    {
        state.EnsureParty(command.By, "marquer les messages comme lus");
        if (!state.MessageIds.Contains(command.UpToMessageId))
            throw new BusinessRuleViolation("Ce message n'existe pas sur cette orientation.");
        return [new ReferralMessagesRead(state.Id, command.UpToMessageId, command.By, command.At)];
    }

    public static RouteGroupBuilder MapReferralMessages(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/messages", (Guid id, PostMessageRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
                ReferralCommand.ExecuteWithSealedText(id, request.Text, "text", 2000, expected, http, session, time,
                    (state, actor, text) => Decide(new PostMessage(Guid.CreateVersion7(), text, actor, time.GetUtcNow()), state), ct))
            .WithName("PostReferralMessage")
            .WithSummary("Write to the other party.");
        group.MapPost("/{id:guid}/messages/read", async Task<Results<NoContent, ValidationProblem>> (Guid id, MarkMessagesReadRequest request,
                ExpectedVersion expected, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                if (request.UpToMessageId is not { } upTo)
                    return Problems.Invalid(new Dictionary<string, string[]> { ["upToMessageId"] = ["Indiquez le dernier message lu."] });
                return await ReferralCommand.Execute(id, expected, http, session,
                    (state, actor) => Decide(new MarkMessagesRead(upTo, actor, time.GetUtcNow()), state), ct);
            })
            .WithName("MarkReferralMessagesRead")
            .WithSummary("Mark the messages up to this one as read by your organisation.");
        return group;
    }
}
