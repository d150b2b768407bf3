using Coordination.ServiceDefaults.EventSourcing;
using Coordination.Portal;
using Coordination.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPortal();

var app = builder.Build();
app.UsePortal();
app.MapDefaultEndpoints();
app.MapPortal();
// Like every process of the platform it accepts --migrate (no database here: nothing to apply, it exits at once).
return await app.RunServiceAsync();

public partial class Program;
