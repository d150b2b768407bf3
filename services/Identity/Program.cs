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
builder.Services.AddSingleton(new Accounts(AccountsFrom(identity)));
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
app.MapTokenEndpoints();
app.Run();

// Accounts come from configuration (tests) and/or a JSON file (the demo accounts the start command passes).
static IEnumerable<Account> AccountsFrom(IConfigurationSection identity)
{
    var accounts = identity.GetSection("Accounts").Get<List<Account>>() ?? [];
    if (identity["AccountsFile"] is { Length: > 0 } file)
        accounts.AddRange(System.Text.Json.JsonSerializer.Deserialize<List<Account>>(File.ReadAllText(file),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)) ?? []);
    return accounts;
}

public partial class Program;
