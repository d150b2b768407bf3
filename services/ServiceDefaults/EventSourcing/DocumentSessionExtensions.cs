using Coordination.ServiceDefaults.Http;
using Marten;

namespace Coordination.ServiceDefaults.EventSourcing;

public static class DocumentSessionExtensions
{
    /// <summary>
    /// Load the stream's state, check the caller's expected version, run the pure decision, append its
    /// events and commit — in one transaction guarded by optimistic concurrency. Returns the new version.
    /// <paramref name="notFound"/> is the detail of the 404: give the one <paramref name="authorize"/> uses for "not yours",
    /// so that both answers are the same.
    /// </summary>
    public static async Task<long> GetAndUpdate<TState>(
        this IDocumentSession session, Guid id, ExpectedVersion expected,
        Func<TState, IReadOnlyList<object>> decide, CancellationToken ct, Action<TState>? authorize = null,
        string? notFound = null) where TState : class
    {
        var stream = await session.Events.FetchForWriting<TState>(id, ct);
        if (stream.Aggregate is null)
            throw notFound is null ? new ResourceNotFound() : new ResourceNotFound(notFound);
        // Before the version check: someone who may not see the resource must not learn its version either.
        authorize?.Invoke(stream.Aggregate);
        var current = stream.CurrentVersion ?? 0;
        if (expected != ExpectedVersion.Any && current != expected.Value)
            throw new StaleVersion(expected.Value, current);

        var events = decide(stream.Aggregate);
        if (events.Count == 0)
            return current;
        stream.AppendMany(events);
        // Marten re-checks the version in the same transaction: a concurrent writer makes this throw (412).
        await session.SaveChangesAsync(ct);
        return current + events.Count;
    }
}
