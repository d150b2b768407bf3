using Coordination.Notifications;
using Coordination.Notifications.Apis;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

return await ApiService.RunAsync(args,
    builder => builder.AddNotifications(),
    app =>
    {
        app.MapNotificationsApi();
        app.MapErrorQueueRequeue("/api/notifications");
    });

public partial class Program;
