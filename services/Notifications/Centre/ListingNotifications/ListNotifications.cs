using Coordination.Notifications.Delivering;
using Coordination.Notifications.Notifying;
using Coordination.Notifications.Rules;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Notifications.Centre.ListingNotifications;

/// <summary>The e-mail channel's state as the person sees it beside the notification.</summary>
public sealed record EmailState(DeliveryStatus Status, DeliveryMode Mode, DateTimeOffset DueAt, int Attempts, string? LastError, DateTimeOffset? SentAt);

public sealed record NotificationItem(
    Guid Id, string Kind, Category Category, string Title, IReadOnlyList<string> Lines, string Link,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, EmailState? Email);

public sealed record NotificationCentre(int Unread, IReadOnlyList<NotificationItem> Items);

public sealed record UnreadCount(int Unread);

public static class ListNotificationsEndpoint
{
    private const int PageSize = 50;

    public static RouteGroupBuilder MapListNotifications(this RouteGroupBuilder group)
    {
        group.MapGet("/", async (HttpContext http, IQuerySession session, MailComposerFactory composers, bool? unreadOnly, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var query = session.Query<Notification>().Where(n => n.UserId == user.UserId);
                if (unreadOnly == true)
                    query = query.Where(n => n.ReadAt == null);
                var notifications = await query.OrderByDescending(n => n.CreatedAt).Take(PageSize).ToListAsync(ct);
                var unread = await session.Query<Notification>().CountAsync(n => n.UserId == user.UserId && n.ReadAt == null, ct);
                return TypedResults.Ok(new NotificationCentre(unread, await Items(session, composers.Create(), notifications, ct)));
            })
            .WithName("ListNotifications")
            .WithSummary("The caller's notifications, newest first (50), with the unread count and each e-mail's state.");

        group.MapGet("/unread-count", async (HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                return TypedResults.Ok(new UnreadCount(
                    await session.Query<Notification>().CountAsync(n => n.UserId == user.UserId && n.ReadAt == null, ct)));
            })
            .WithName("CountUnreadNotifications")
            .WithSummary("How many of the caller's notifications are unread (the Portal's bell).");

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, IQuerySession session, MailComposerFactory composers, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var notification = await session.LoadAsync<Notification>(id, ct);
                // Someone else's notification does not exist, as far as the caller can tell.
                if (notification is null || notification.UserId != user.UserId)
                    throw new ServiceDefaults.Http.ResourceNotFound("Aucune notification avec cet identifiant.");
                return TypedResults.Ok((await Items(session, composers.Create(), [notification], ct))[0]);
            })
            .WithName("GetNotification")
            .WithSummary("One of the caller's notifications and the state of its e-mail.");
        return group;
    }

    private static async Task<IReadOnlyList<NotificationItem>> Items(
        IQuerySession session, MailComposer composer, IReadOnlyList<Notification> notifications, CancellationToken ct)
    {
        var ids = notifications.Select(n => n.Id).ToArray();
        var deliveries = (await session.Query<Delivery>().Where(d => ids.Contains(d.NotificationId)).ToListAsync(ct))
            .ToDictionary(d => d.NotificationId);
        var organisationIds = notifications
            .SelectMany(n => new[] { n.Subject.SenderOrganisationId, n.Subject.ReceiverOrganisationId, n.Subject.OtherOrganisationId })
            .OfType<Guid>().Distinct().ToArray();
        var names = (await session.LoadManyAsync<Audience.KnownOrganisation>(ct, organisationIds)).ToDictionary(o => o.Id, o => o.Name);
        string Name(Guid? id) => id is { } known && names.GetValueOrDefault(known) is { } name ? name : "une organisation du réseau";
        return [.. notifications.Select(n =>
        {
            var d = deliveries.GetValueOrDefault(n.Id);
            return new NotificationItem(n.Id, n.Kind, n.Category, MailComposer.Title(n), [.. MailComposer.Lines(n, Name)],
                new Uri(composer.Link(n)).PathAndQuery, n.CreatedAt, n.ReadAt,
                d is null ? null : new EmailState(d.Status, d.Mode, d.DueAt, d.Attempts, d.LastError, d.SentAt));
        })];
    }
}
