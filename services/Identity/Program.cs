using Coordination.Identity;
using Coordination.Identity.Endpoints;
using Coordination.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddIdentityProvider();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapConnectEndpoints();
app.MapLoginPage();
app.Run();

public partial class Program;
