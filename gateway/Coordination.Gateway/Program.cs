using Coordination.ServiceDefaults.EventSourcing;
using Coordination.Gateway.Protection;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDefaultAuthentication();
builder.Services.AddGatewayRateLimits(builder.Configuration);
builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));

var app = builder.Build();
app.UseServiceDefaults();
// After authentication, so that API limits are per user; no CORS middleware: cross-origin calls stay refused.
app.UseRateLimiter();
app.MapDefaultEndpoints();
// Routes, per-route authorization and rate limits, clusters with active health checks: appsettings.json (ReverseProxy).
// Everything not routed elsewhere (/, pages, static files, /signin-oidc) goes to the portal, which signs people in itself.
app.MapReverseProxy();
// Like every process of the platform it accepts --migrate (no database here: nothing to apply, it exits at once).
return await app.RunServiceAsync();

public partial class Program;
