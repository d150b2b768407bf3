using Coordination.Dashboard;
using Coordination.Dashboard.Apis;
using Coordination.Dashboard.OpenData;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

return await ApiService.RunAsync(args,
    builder => builder.AddDashboard(),
    app =>
    {
        app.MapDashboardApi();
        app.MapRebuildApi();
        app.MapOpenData();
        app.MapErrorQueueRequeue("/api/dashboard");
    });

public partial class Program;
