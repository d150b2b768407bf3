using Coordination.ServiceDefaults.EventSourcing;
using Coordination.Dashboard;
using Coordination.Dashboard.Apis;
using Coordination.Dashboard.OpenData;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddDashboard();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapDashboardApi();
app.MapRebuildApi();
app.MapOpenData();
app.MapErrorQueueRequeue("/api/dashboard");
// --migrate applies the schema and exits; in Production an unmigrated database stops the start (SchemaMigration).
return await app.RunServiceAsync();

public partial class Program;
