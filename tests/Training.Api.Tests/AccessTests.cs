using System.Net;
using Coordination.ServiceDefaults.Security;
using Coordination.Testing;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Training.Api.Tests;

/// <summary>Training validates tokens itself, and an unknown resource reads the same whatever the route.</summary>
public class AccessTests(TrainingFactory factory) : IClassFixture<TrainingFactory>
{
    private readonly TrainingClients api = new(factory);

    public static TheoryData<string> Routes => new() { "/api/training/modules", "/api/training/sessions", "/api/training/interventions" };

    [Theory]
    [MemberData(nameof(Routes))]
    public Task Every_bad_token_is_refused_with_a_401_problem(string path) =>
        BadTokens.AreRefusedWith401Problems(factory.CreateClient, path);

    [Fact]
    public async Task Commands_and_reads_on_an_unknown_session_answer_the_same_404()
    {
        var unknown = Guid.NewGuid();

        var read = await When(() => api.Staff("x").GetAsync($"/api/training/sessions/{unknown}")).Then(HttpStatusCode.NotFound);
        var register = await When(() => api.Staff("x").PostAsync($"/api/training/sessions/{unknown}/registrations", null))
            .Then(HttpStatusCode.NotFound);
        var cancel = await When(() => api.Staff("x").DeleteAsync($"/api/training/sessions/{unknown}/registrations/mine"))
            .Then(HttpStatusCode.NotFound);
        var close = await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{unknown}/closing", new { }, "\"1\""))
            .Then(HttpStatusCode.NotFound);

        var expected = await read.Problem();
        Assert.Equal("Aucune session avec cet identifiant.", expected.Detail);
        Assert.Equal(expected, await register.Problem());
        Assert.Equal(expected, await cancel.Problem());
        Assert.Equal(expected, await close.Problem());
    }

    [Fact]
    public async Task Commands_and_reads_on_an_unknown_module_answer_the_same_404()
    {
        var unknown = Guid.NewGuid();

        var read = await When(() => api.Coordinator().GetAsync($"/api/training/modules/{unknown}")).Then(HttpStatusCode.NotFound);
        var retire = await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/modules/{unknown}/retirement",
            new { reason = "Obsolète" }, "\"1\"")).Then(HttpStatusCode.NotFound);

        Assert.Equal(await read.Problem(), await retire.Problem());
    }

    [Fact]
    public async Task Professionals_may_not_act_as_coordinators()
    {
        var (session, _) = await Given(() => api.Session(capacity: 3));
        var version = (await api.View(api.Coordinator(), session)).Version;

        await When(() => api.Staff("x").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/cancellation", new { reason = "Essai" },
            $"\"{version}\"")).Then(HttpStatusCode.Forbidden);
        await When(() => api.Staff("x").GetAsync($"/api/training/sessions/{session}/roster")).Then(HttpStatusCode.Forbidden);

        Assert.Equal(Coordination.Training.Sessions.SessionStatus.RegistrationOpen, (await api.View(api.Coordinator(), session)).Status);
    }
}
