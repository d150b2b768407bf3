using Coordination.Directory;
using Coordination.Directory.Apis;
using Coordination.Directory.Reference;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

return await ApiService.RunAsync(args,
    builder => builder.AddDirectory(),
    app =>
    {
        app.MapOrganisationsApi();
        app.MapAidsApi();
        app.MapReferenceApi();
        app.MapIntegrationEventsReplay("/api/directory");
    });

public partial class Program;
