using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Training;
using Coordination.Training.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddTraining();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapTrainingApi();
app.MapIntegrationEventsReplay("/api/training");
app.MapErrorQueueRequeue("/api/training");
// --migrate applies the schema and exits; in Production an unmigrated database stops the start (SchemaMigration).
return await app.RunServiceAsync();

public partial class Program;
