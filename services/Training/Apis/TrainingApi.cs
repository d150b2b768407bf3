using Coordination.Training.Interventions;
using Coordination.Training.Modules;
using Coordination.Training.Sessions;

namespace Coordination.Training.Apis;

public static class TrainingApi
{
    public static IEndpointRouteBuilder MapTrainingApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/training")
            .WithTags("Training")
            .MapModules()
            .MapSessions()
            .MapInterventions();
        return app;
    }
}
