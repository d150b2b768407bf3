using Coordination.Referrals;
using Coordination.Referrals.Apis;
using Coordination.Referrals.Demo;
using Coordination.Referrals.Privacy;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.AddReferrals();
builder.AddDemoClockIfEnabled();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapReferralsApi();
app.MapDemoClockIfEnabled(app.Configuration);
app.MapIntegrationEventsReplay("/api/referrals");
app.MapErrorQueueRequeue("/api/referrals");
app.MapKeyEncryptionKeyRotation();
// --migrate applies the schema and exits; in Production an unmigrated database stops the start (SchemaMigration).
return await app.RunServiceAsync();

public partial class Program;
