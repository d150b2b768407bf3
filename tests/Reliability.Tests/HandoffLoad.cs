using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Coordination.Reliability.Tests;

/// <summary>
/// Hand-offs sent to Referrals by a few concurrent senders until stopped, every answer recorded: 201 with its id,
/// any other status with its content type and whether it was a problem detail, timeouts as hangs.
/// </summary>
public sealed class HandoffLoad : IAsyncDisposable
{
    public sealed record Answer(DateTime At, int Status, TimeSpan Took, Guid? Id, bool ProblemDetail, string? Error);

    private readonly CancellationTokenSource stop = new();
    private readonly Task[] senders;
    private readonly HttpClient client;
    private readonly FaultPlatform platform;

    public ConcurrentQueue<Answer> Answers { get; } = new();

    public HandoffLoad(FaultPlatform platform, int senders = 2, TimeSpan? pause = null, TimeSpan? requestTimeout = null)
    {
        this.platform = platform;
        client = platform.Worker(requestTimeout ?? TimeSpan.FromSeconds(10));
        this.senders = [.. Enumerable.Range(0, senders).Select(_ => Task.Run(() => Send(pause ?? TimeSpan.FromMilliseconds(50))))];
    }

    public static object Request(Guid receiver) => new
    {
        receiverOrganisationId = receiver,
        departement = "93",
        person = new { firstName = "Nadia", contact = new { kind = "phone", value = "06 12 34 56 78" }, ageBand = "from26To40", minorsInvolved = true },
        situation = "intrafamilyViolence",
        needs = new[] { "coordination--aide-aux-victimes" },
        urgency = "immediate",
        consent = new { method = "oral", scope = new { identity = true, situation = true, needs = true } },
        send = true,
    };

    private async Task Send(TimeSpan pause)
    {
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await client.PostAsJsonAsync("/api/referrals", Request(FaultPlatform.Association));
                var body = await response.Content.ReadAsStringAsync();
                Guid? id = null;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
                    platform.RecordAccepted(id.Value);
                }
                var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
                Answers.Enqueue(new Answer(DateTime.UtcNow, (int)response.StatusCode, clock.Elapsed, id, problem,
                    response.IsSuccessStatusCode ? null : body.Length > 300 ? body[..300] : body));
            }
            catch (TaskCanceledException) when (!stop.IsCancellationRequested)
            {
                Answers.Enqueue(new Answer(DateTime.UtcNow, 0, clock.Elapsed, null, false, "no answer in time (hang)"));
            }
            catch (HttpRequestException exception)
            {
                // The service itself is down (a test killed it): the client could not even connect.
                Answers.Enqueue(new Answer(DateTime.UtcNow, -1, clock.Elapsed, null, false, exception.Message));
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                await Task.Delay(pause, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public List<Guid> AcceptedIds => [.. Answers.Where(a => a.Id is not null).Select(a => a.Id!.Value)];

    public int Count(Func<Answer, bool> predicate) => Answers.Count(predicate);

    public async Task StopAsync()
    {
        stop.Cancel();
        await Task.WhenAll(senders);
    }

    public async ValueTask DisposeAsync()
    {
        if (!stop.IsCancellationRequested) await StopAsync();
        client.Dispose();
    }
}
