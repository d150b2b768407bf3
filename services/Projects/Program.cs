using Coordination.Projects;
using Coordination.Projects.Apis;
using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;

return await ApiService.RunAsync(args,
    builder => builder.AddProjects(),
    app =>
    {
        app.MapProjectsApi();
        app.MapIntegrationEventsReplay("/api/projects");
    });

public partial class Program;
