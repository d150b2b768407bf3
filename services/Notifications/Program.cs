using Coordination.Notifications;
using Coordination.Notifications.Apis;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddNotifications();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapNotificationsApi();
app.MapErrorQueueRequeue("/api/notifications");
app.Run();

public partial class Program;
