using System.Diagnostics;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.ServiceDefaults.EventSourcing;

/// <summary>
/// Lightweight sessions stamped with the request's correlation id, W3C trace context and acting user id,
/// so that every appended event says who caused it and which request it belongs to.
/// </summary>
public sealed class CorrelatedSessionFactory(IDocumentStore store, IHttpContextAccessor httpContextAccessor) : ISessionFactory
{
    public const string TraceParentHeader = "traceparent";

    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession()
    {
        var session = store.LightweightSession();
        var httpContext = httpContextAccessor.HttpContext;
        session.CorrelationId = CorrelationIds.Current(httpContext);
        if (Activity.Current is { } activity)
            session.SetHeader(TraceParentHeader, activity.Id!);
        if (httpContext?.User.FindFirst(CoordinationClaims.UserId)?.Value is { } userId)
            session.LastModifiedBy = userId;
        return session;
    }
}
