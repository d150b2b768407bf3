using Coordination.ServiceDefaults.Http;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordination.ServiceDefaults.EventSourcing;

public static class StreamCommands
{
    /// <summary>
    /// A command on an existing stream, answered as every such command answers: the decision taken on the version the
    /// caller read (<see cref="DocumentSessionExtensions.GetAndUpdate{TState}"/>, same <paramref name="authorize"/> and
    /// <paramref name="notFound"/>), then 204 with the new version as ETag. A slice keeps only its own parts: its access
    /// rule, its validation, its command and its Decide.
    /// </summary>
    public static async Task<NoContent> ExecuteCommand<TState>(
        this IDocumentSession session, Guid id, ExpectedVersion expected, HttpContext http,
        Func<TState, IReadOnlyList<object>> decide, CancellationToken ct, Action<TState>? authorize = null,
        string? notFound = null) where TState : class
    {
        var version = await session.GetAndUpdate(id, expected, decide, ct, authorize, notFound);
        http.Response.SetETag(version);
        return TypedResults.NoContent();
    }
}
