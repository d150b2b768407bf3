using Coordination.ServiceDefaults;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Training;
using Coordination.Training.Apis;

return await ApiService.RunAsync(args,
    builder => builder.AddTraining(),
    app =>
    {
        app.MapTrainingApi();
        app.MapIntegrationEventsReplay("/api/training");
        app.MapErrorQueueRequeue("/api/training");
    });

public partial class Program;
