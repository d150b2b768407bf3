using Coordination.Notifications.Notifying;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Notifications.Centre.MarkingRead;

public static class MarkNotificationsReadEndpoint
{
    public static RouteGroupBuilder MapMarkNotificationsRead(this RouteGroupBuilder group)
    {
        group.MapPost("/{id:guid}/read", async (Guid id, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var notification = await session.LoadAsync<Notification>(id, ct);
                if (notification is null || notification.UserId != user.UserId)
                    throw new ResourceNotFound("Aucune notification avec cet identifiant.");
                // Reading twice keeps the first time: idempotent, no version needed.
                if (notification.ReadAt is null)
                {
                    session.Store(notification with { ReadAt = time.GetUtcNow() });
                    await session.SaveChangesAsync(ct);
                }
                return TypedResults.NoContent();
            })
            .WithName("MarkNotificationRead")
            .WithSummary("Mark one of the caller's notifications as read.");

        group.MapPost("/read", async (HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var unread = await session.Query<Notification>().Where(n => n.UserId == user.UserId && n.ReadAt == null).ToListAsync(ct);
                var now = time.GetUtcNow();
                foreach (var n in unread)
                    session.Store(n with { ReadAt = now });
                await session.SaveChangesAsync(ct);
                return TypedResults.NoContent();
            })
            .WithName("MarkAllNotificationsRead")
            .WithSummary("Mark every notification of the caller as read.");
        return group;
    }
}
