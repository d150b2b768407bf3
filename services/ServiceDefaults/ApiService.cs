using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;

namespace Coordination.ServiceDefaults;

public static class ApiService
{
    /// <summary>
    /// The life of every API service behind the gateway, written once: the shared defaults and bearer authentication, the
    /// service's own registrations (<paramref name="addService"/>), the shared pipeline and health endpoints, the service's
    /// own endpoints (<paramref name="mapEndpoints"/>); then it runs, or with <c>--migrate</c> applies its schema and exits
    /// (<see cref="SchemaMigration.RunServiceAsync"/>). Identity (the token issuer) and the portal build theirs by hand.
    /// </summary>
    public static Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> addService, Action<WebApplication> mapEndpoints)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddDefaultAuthentication();
        addService(builder);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        mapEndpoints(app);
        return app.RunServiceAsync();
    }
}
