using JasperFx;

namespace Coordination.Training.Sessions;

/// <summary>The two paths of every command on an existing session.</summary>
public static class SessionCommand
{
    /// <summary>A change to what the caller read: <c>If-Match</c> names the version it was decided on.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> Execute(
        Guid id, ExpectedVersion expected, HttpContext http, IDocumentSession session,
        Func<TrainingSession, CurrentUser, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        return await session.ExecuteCommand<TrainingSession>(id, expected, http, state => decide(state, user), ct,
            notFound: SessionRules.NotFound);
    }

    /// <summary>
    /// Registrations need no If-Match (the caller edits nothing they read), but they race for places: on a concurrent
    /// write the decision is taken again on the newer state, so of two people racing for the last place exactly one
    /// gets it and the other goes to the waiting list.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem>> Retrying(
        Guid id, HttpContext http, IDocumentSession session, Func<TrainingSession, CurrentUser, IReadOnlyList<object>> decide, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User);
        var store = session.DocumentStore;
        for (var attempt = 0; ; attempt++)
        {
            await using var attemptSession = store.LightweightSession();
            attemptSession.LastModifiedBy = user.UserId;
            attemptSession.CorrelationId = CorrelationIds.Current(http);
            var stream = await attemptSession.Events.FetchForWriting<TrainingSession>(id, ct);
            if (stream.Aggregate is null) throw new ResourceNotFound(SessionRules.NotFound);
            stream.AppendMany(decide(stream.Aggregate, user));
            try
            {
                await attemptSession.SaveChangesAsync(ct);
                http.Response.SetETag((stream.CurrentVersion ?? 0) + stream.Events.Count);
                return TypedResults.NoContent();
            }
            catch (ConcurrencyException) when (attempt < 5)
            {
            }
        }
    }
}
