using System.Collections.Concurrent;
using System.Net;
using Coordination.Contracts.Training;
using Coordination.Testing;
using Coordination.Training.Sessions;
using Coordination.Training.Sessions.Reminding;
using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Coordination.Testing.Specification;

namespace Coordination.Training.Api.Tests;

/// <summary>
/// What registrants are told, as Training publishes it on the real RabbitMQ: a probe queue bound to
/// <see cref="TrainingRegistrantsNotice"/> receives what Notifications' queue receives.
/// </summary>
public class RegistrantNoticesTests(TrainingFactory factory) : IClassFixture<TrainingFactory>, IAsyncLifetime
{
    private readonly TrainingClients api = new(factory);
    private readonly ConcurrentQueue<TrainingRegistrantsNotice> received = new();
    private HostReceiveEndpointHandle? probe;

    public async Task InitializeAsync()
    {
        // The test's own virtual host goes with the factory, and this queue with it.
        probe = factory.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint($"training-tests-notices-{Guid.NewGuid():N}", e =>
        {
            e.Handler<TrainingRegistrantsNotice>(context =>
            {
                received.Enqueue(context.Message);
                return Task.CompletedTask;
            });
        });
        await probe.Ready;
    }

    public async Task DisposeAsync()
    {
        if (probe is not null) await probe.StopAsync();
    }

    private Task<List<TrainingRegistrantsNotice>> Notices(Guid session, string moment, int count = 1) =>
        HttpClientExtensions.Eventually(() => Task.FromResult(received.Where(n => n.SessionId == session && n.Moment == moment).ToList()),
            n => n.Count >= count, TimeSpan.FromSeconds(30), $"{moment} notice for {session}");

    [Fact]
    public async Task Moving_a_session_needs_if_match_and_french_dates_then_tells_registered_and_waitlisted()
    {
        var (session, startsAt) = await Given(() => api.Session(capacity: 1));
        await Given(() => api.Register("moving-1", session), () => api.Register("moving-2", session));
        var version = (await api.View(api.Coordinator(), session)).Version;
        var later = startsAt.AddDays(7);

        var past = await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/rescheduling",
            new { startsAt = startsAt.AddDays(-30), endsAt = startsAt.AddDays(-31) }, $"\"{version}\"")).Then(HttpStatusCode.BadRequest);
        var problem = await past.Problem();
        Assert.Equal("Indiquez une date de début à venir.", problem.Errors!["startsAt"][0]);
        Assert.Equal("La fin doit suivre le début.", problem.Errors!["endsAt"][0]);
        await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/rescheduling",
            new { startsAt = later, endsAt = later.AddHours(3) })).Then((HttpStatusCode)428);
        await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/rescheduling",
            new { startsAt = later, endsAt = later.AddHours(3) }, $"\"{version - 1}\"")).Then(HttpStatusCode.PreconditionFailed);
        await When(() => api.Staff("moving-1").SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/rescheduling",
            new { startsAt = later, endsAt = later.AddHours(3) }, $"\"{version}\"")).Then(HttpStatusCode.Forbidden);

        await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/rescheduling",
            new { startsAt = later, endsAt = later.AddHours(3) }, $"\"{version}\"")).Then(HttpStatusCode.NoContent);

        var view = await api.View(api.Staff("moving-1"), session);
        Assert.Equal(later.ToUniversalTime(), view.StartsAt.ToUniversalTime());
        var moved = Assert.Single(await Notices(session, "moved"));
        Assert.Equal(["moving-1", "moving-2"], moved.UserIds.Order(StringComparer.Ordinal));
        Assert.Equal((later.ToUniversalTime(), startsAt.ToUniversalTime()), (moved.StartsAt, moved.PreviousStartsAt));
    }

    [Fact]
    public async Task A_place_from_the_waiting_list_and_a_cancellation_are_told_to_whom_they_concern()
    {
        var (session, _) = await Given(() => api.Session(capacity: 1));
        await Given(() => api.Register("first", session), () => api.Register("second", session), () => api.Register("third", session));

        await When(() => api.Staff("first").DeleteAsync($"/api/training/sessions/{session}/registrations/mine")).Then(HttpStatusCode.NoContent);
        Assert.Equal(["second"], Assert.Single(await Notices(session, "promoted")).UserIds);

        var version = (await api.View(api.Coordinator(), session)).Version;
        await When(() => api.Coordinator().SendJson(HttpMethod.Post, $"/api/training/sessions/{session}/cancellation",
            new { reason = "Salle indisponible" }, $"\"{version}\"")).Then(HttpStatusCode.NoContent);
        Assert.Equal(["second", "third"], Assert.Single(await Notices(session, "cancelled")).UserIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_reminder_is_recorded_once_two_days_before_even_with_two_watchers_scanning_at_once()
    {
        var (session, _) = await Given(() => api.Session(capacity: 5));
        await Given(() => api.Register("reminded", session));
        var watcher = factory.Services.GetRequiredService<ReminderWatcher>();
        Assert.DoesNotContain(session, await RemindedSessions(watcher));

        factory.Clock.Advance(TimeSpan.FromDays(8) + TimeSpan.FromMinutes(1)); // the session starts in a little under two days
        try
        {
            // Two instances' watchers, at the same moment, then a later scan: one reminder in the stream.
            await Task.WhenAll(watcher.ScanOnce(CancellationToken.None), watcher.ScanOnce(CancellationToken.None));
            await watcher.ScanOnce(CancellationToken.None);

            Assert.Single(await RemindedSessions(watcher), session);
            Assert.Equal(["reminded"], Assert.Single(await Notices(session, "reminder")).UserIds);
        }
        finally
        {
            factory.Clock.Advance(-(TimeSpan.FromDays(8) + TimeSpan.FromMinutes(1)));
        }
    }

    private async Task<List<Guid>> RemindedSessions(ReminderWatcher watcher)
    {
        await using var query = factory.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await query.Events.QueryRawEventDataOnly<RegistrantsReminded>().ToListAsync()).Select(r => r.SessionId)];
    }
}
