using Coordination.Directory.Organisations.GettingDetails;

namespace Coordination.Directory.Aids;

/// <summary>What the aid slices share around their pure decisions: checking a request's content, loading an aid to moderate it.</summary>
public static class AidRequests
{
    /// <summary>Validates a content request, looking up the granting organisation in the Directory when one is named.</summary>
    public static async Task<(AidContent? Content, AidValidation Validation)> Check(
        AidContentRequest? request, IQuerySession session, CancellationToken ct, AidValidation? validation = null)
    {
        validation ??= new AidValidation();
        if (request is null)
        {
            validation.Add("content", "Le contenu de l'aide est obligatoire.");
            return (null, validation);
        }
        string? organisationName = null;
        if (request.GrantorOrganisationId is { } id && id != Guid.Empty)
            organisationName = (await session.LoadAsync<OrganisationDetails>(id, ct))?.Name;
        return (validation.Content(request, organisationName), validation);
    }

    /// <summary>A required reason (withdrawal, refusal), trimmed, at most 500 characters.</summary>
    public static string? Reason(AidValidation validation, string? reason, string message)
    {
        var trimmed = validation.Text(reason, "reason", 500, required: false);
        if (trimmed is null) validation.Add("reason", message);
        return trimmed;
    }

    /// <summary>
    /// The moderation path shared by every moderator's command: load the aid, check the caller may moderate it (before the
    /// version: the version of something one may not change is none of one's business), check the version, decide, append,
    /// answer 204 with the new ETag.
    /// </summary>
    public static Task<NoContent> Moderate(
        IDocumentSession session, Guid id, ExpectedVersion expected, HttpContext http, AidModerator moderator,
        Func<Aid, IReadOnlyList<object>> decide, CancellationToken ct) =>
        session.ExecuteCommand<Aid>(id, expected, http, decide, ct, authorize: aid => moderator.EnsureMayModerate(aid.Content));

    /// <summary>
    /// A moderator's command that must say why (refusing a proposal or a correction, withdrawing an aid): 403 with
    /// <paramref name="refusal"/> for someone who moderates nothing, then 400 with <paramref name="reasonMissing"/> without
    /// a reason, then <see cref="Moderate"/>.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> ModerateWithReason(
        Guid id, string? reason, ExpectedVersion expected, HttpContext http, IDocumentSession session, string refusal,
        string reasonMissing, Func<Aid, AidModerator, string, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var moderator = await AidModerator.Required(http, session, refusal, ct);
        var validation = new AidValidation();
        var checkedReason = Reason(validation, reason, reasonMissing);
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);
        return await Moderate(session, id, expected, http, moderator, state => decide(state, moderator, checkedReason!), ct);
    }
}
