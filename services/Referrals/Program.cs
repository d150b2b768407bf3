using Coordination.Referrals;
using Coordination.Referrals.Apis;
using Coordination.Referrals.Demo;
using Coordination.Referrals.Privacy;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults.Security;

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
app.Run();

public partial class Program;
