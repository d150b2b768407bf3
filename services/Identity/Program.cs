using Coordination.Identity;
using Coordination.Identity.Accounts.SigningInWithProConnect;
using Coordination.Identity.Apis;
using Coordination.Identity.Endpoints;
using Coordination.ServiceDefaults.Messaging;
using Coordination.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityProvider();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapConnectEndpoints();
app.MapLoginPage();
app.MapProConnect();
app.MapAccountsApi();
app.MapIntegrationEventsReplay("/api/identity");
// --migrate applies the schema and exits; in Production an unmigrated database stops the start (SchemaMigration).
return await app.RunServiceAsync();

public partial class Program;
