using Coordination.Projects;
using Coordination.Projects.Apis;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddProjects();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapProjectsApi();
app.MapIntegrationEventsReplay("/api/projects");
// --migrate applies the schema and exits; in Production an unmigrated database stops the start (SchemaMigration).
return await app.RunServiceAsync();

public partial class Program;
