using Coordination.Identity.Tokens;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var identity = builder.Configuration.GetSection("Identity");
builder.Services.AddSingleton(new IssuerSettings(
    identity["Issuer"] ?? throw new InvalidOperationException("Configuration 'Identity:Issuer' is missing."),
    identity["Audience"] ?? AuthenticationSetup.DefaultAudience,
    identity.GetValue("AccessTokenLifetime", TimeSpan.FromHours(1))));
builder.Services.AddSingleton(new SigningKey(identity["SigningKeyPath"] ?? Path.Combine(".data", "identity", "signing-key.pem")));
builder.Services.AddSingleton(new Accounts(identity.GetSection("Accounts").Get<List<Account>>() ?? []));
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapTokenEndpoints();
app.Run();

public partial class Program;
