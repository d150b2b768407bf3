using Coordination.Projects;
using Coordination.Projects.Apis;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddProjects();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapProjectsApi();
app.MapIntegrationEventsReplay("/api/projects");
app.Run();

public partial class Program;
