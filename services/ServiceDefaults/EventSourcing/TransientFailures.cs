using System.Net.Sockets;
using Npgsql;

namespace Coordination.ServiceDefaults.EventSourcing;

/// <summary>
/// Failures of the infrastructure rather than of the request or message: the database unreachable, restarting
/// or dropping connections, wherever they surface (Npgsql directly, or wrapped by Marten in a
/// <c>MartenCommandException</c> or an <c>ObjectDisposedException</c> of the transaction). Found by the
/// PostgreSQL-restart fault test: such wrapped failures were answered 500 instead of 503, and messages consumed
/// during a 15 s outage ended in <c>_error</c>, missing from the Dashboard until an operator moved them back.
/// </summary>
public static class TransientFailures
{
    /// <summary>How long a consumer keeps retrying through an outage before the message goes to the error queue.</summary>
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);
    public const int RetryLimit = 150; // 5 minutes

    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } or SocketException or TimeoutException)
                return true;
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient))
                return true;
        }
        return false;
    }
}
