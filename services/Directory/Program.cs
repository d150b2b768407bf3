using Coordination.Directory;
using Coordination.Directory.Apis;
using Coordination.Directory.Reference;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddDirectory();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapOrganisationsApi();
app.MapAidsApi();
app.MapReferenceApi();
app.MapIntegrationEventsReplay("/api/directory");
// --migrate applies the schema and exits; in Production an unmigrated database stops the start (SchemaMigration).
return await app.RunServiceAsync();

public partial class Program;
