using Coordination.Notifications.Centre.ListingNotifications;
using Coordination.Notifications.Centre.MarkingRead;
using Coordination.Notifications.Delivering.ListingFailedDeliveries;
using Coordination.Notifications.Live;
using Coordination.Notifications.Preferences.SettingPreferences;
using Coordination.Notifications.Rotas.SettingRota;

namespace Coordination.Notifications.Apis;

public static class NotificationsApi
{
    public const string BasePath = "/api/notifications";

    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        var group = app.MapGroup(BasePath).WithTags("Notifications");
        // Fixed paths before /{id}: the route table prefers literals anyway, this keeps the reading order the same.
        group.MapPreferences();
        group.MapOnCallRota();
        group.MapFailedDeliveries();
        group.MapNotificationStream();
        group.MapListNotifications();
        group.MapMarkNotificationsRead();
        return app;
    }
}
