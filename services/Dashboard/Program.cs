using Coordination.Dashboard;
using Coordination.Dashboard.Apis;
using Coordination.Dashboard.OpenData;
using Coordination.ServiceDefaults;
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
app.Run();

public partial class Program;
