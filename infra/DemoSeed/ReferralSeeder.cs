using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordination.DemoSeed;

/// <summary>
/// Plays the demo referrals through the Referrals API, each as the demo accounts of its sender and receiver: creates
/// it (sent, or kept as a draft), then gives its commands one after the other, each with the <c>ETag</c> the previous
/// one answered. Idempotent through fixed ids: a referral already there (409 on creation) is counted as already present
/// and left as it is, whatever its status (its steps are not replayed). Overdue and expired referrals are played in
/// the past (<c>daysAgo</c>) on Referrals' demo clock, which the admin account shifts and puts back; the server's
/// deadline watcher then marks them, as it would any other.
/// </summary>
public sealed class ReferralSeeder(
    GatewayClient gateway, DemoTokens demoTokens, TimeSpan waitForReceivers, TextWriter log, TextWriter error, string? clockAdmin = null)
{
    private static readonly TimeSpan WaitStep = TimeSpan.FromSeconds(1);

    private readonly Stopwatch waited = new();

    public int Created { get; private set; }
    public int AlreadyPresent { get; private set; }
    public int Failed { get; private set; }

    /// <summary>Seeds one referral; a refusal is reported on <c>error</c> and counted, never thrown.</summary>
    public async Task SeedAsync(ReferralSeed referral, CancellationToken ct)
    {
        var label = $"referral {referral.Id} ({referral.Sender} → {referral.ReceiverOrganisationId})";
        try
        {
            if (referral.DaysAgo is { } days) await ShiftClockAsync(TimeSpan.FromDays(-days), label, ct);
            if (await CreateAsync(referral, label, ct) is not { } etag)
                return;
            Created++;
            await RunStepsAsync(referral.Id, etag, referral.StepsOrNone, label, ct);

            var seen = await GetAsync(referral.Id, referral.Sender, label, ct);
            var expected = ReferralSeedData.ApiName(referral.ExpectedStatus);
            if (seen.Status != expected)
                throw new SeedStepFailed($"{label}: ends {seen.Status ?? "without a status"} instead of {expected}.");
        }
        catch (SeedStepFailed e)
        {
            Failed++;
            error.WriteLine($"DemoSeed: {e.Message}");
        }
        finally
        {
            if (referral.DaysAgo is not null) await ResetClockAsync(label);
        }
    }

    private async Task ShiftClockAsync(TimeSpan offset, string label, CancellationToken ct)
    {
        if (clockAdmin is null) throw new SeedStepFailed($"{label}: no admin account to shift the demo clock.");
        var token = await TokenAsync(clockAdmin, label, ct);
        var body = JsonSerializer.Serialize(new { offset = offset.ToString("c", System.Globalization.CultureInfo.InvariantCulture) });
        var response = await gateway.SendAsync(HttpMethod.Put, "api/referrals/admin/demo-clock", token, body, null, $"demo clock for {label}", ct);
        if (response.StatusCode != 200)
            throw Refused(label, "PUT /api/referrals/admin/demo-clock (Referrals needs Referrals__DemoClock__Enabled=true)", response);
    }

    /// <summary>Back to now whatever happened, so that nothing after this referral is dated in the past.</summary>
    private async Task ResetClockAsync(string label)
    {
        try
        {
            await ShiftClockAsync(TimeSpan.Zero, label, CancellationToken.None);
        }
        catch (Exception e) when (e is SeedStepFailed or PlatformUnreachableException)
        {
            error.WriteLine($"DemoSeed: the demo clock could not be put back to now: {e.Message}");
        }
    }

    /// <summary>The ETag of the referral just created, or null when it was already there.</summary>
    private async Task<string?> CreateAsync(ReferralSeed referral, string label, CancellationToken ct)
    {
        var body = JsonSerializer.Serialize(referral.ToRequest(), SeedData.Json);
        var token = await TokenAsync(referral.Sender, label, ct);
        var request = $"POST /api/referrals as {referral.Sender}";
        while (true)
        {
            var response = await gateway.SendAsync(HttpMethod.Post, "api/referrals", token, body, null, $"creation of {label}", ct);
            switch (response.StatusCode)
            {
                case 201:
                    return response.ETag ?? throw new SeedStepFailed($"{label}: {request} answered 201 without an ETag.");
                case 409:
                    // Either the id exists (a previous run) or the receiver takes no referrals: only a read tells which.
                    var existing = await gateway.SendAsync(HttpMethod.Get, $"api/referrals/{referral.Id}", token, null, null,
                        $"reading {label}", ct);
                    if (existing.StatusCode == 200)
                    {
                        AlreadyPresent++;
                        return null;
                    }
                    throw Refused(label, request, response);
                case 400 when ReceiverNotYetKnown(response.Body) && waited.Elapsed < waitForReceivers:
                    // The Directory's events reach Referrals asynchronously (RabbitMQ): right after the organisations are
                    // registered, Referrals may not know the receiver yet. Wait for it, within one budget for the whole run.
                    if (!waited.IsRunning && waited.Elapsed == TimeSpan.Zero)
                        log.WriteLine($"Referrals does not know organisation {referral.ReceiverOrganisationId} yet; " +
                            $"waiting up to {waitForReceivers.TotalSeconds:0} s for the Directory's events…");
                    waited.Start();
                    await Task.Delay(WaitStep, ct);
                    waited.Stop();
                    continue;
                default:
                    throw Refused(label, request, response);
            }
        }
    }

    private async Task RunStepsAsync(Guid id, string etag, IReadOnlyList<ReferralStepSeed> steps, string label, CancellationToken ct)
    {
        foreach (var step in steps)
        {
            var token = await TokenAsync(step.By, label, ct);
            var body = step.Body?.ToJsonString(SeedData.Json) ?? "{}";
            if (step.Action == ReferralSteps.MarkMessagesRead)
            {
                var seen = await GetAsync(id, step.By, label, ct);
                var latest = seen.LatestMessageId ?? throw new SeedStepFailed($"{label}: no message to mark read (step by {step.By}).");
                body = new JsonObject { ["upToMessageId"] = latest.ToString() }.ToJsonString();
            }

            var request = $"POST /api/referrals/{id}/{step.Action} as {step.By} (If-Match: {etag}) {body}";
            var response = await gateway.SendAsync(HttpMethod.Post, $"api/referrals/{id}/{step.Action}", token, body, etag,
                $"'{step.Action}' on {label}", ct);
            var redirection = step.Action == ReferralSteps.Redirection;
            if (response.StatusCode != (redirection ? 201 : 204))
                throw Refused(label, request, response);
            etag = response.ETag ?? throw new SeedStepFailed($"{label}: {request} answered {response.StatusCode} without an ETag.");

            if (redirection && step.NewReferralSteps is { Count: > 0 } following)
            {
                if (JsonNode.Parse(response.Body)?["newReferralId"]?.GetValue<string>() is not { } text || !Guid.TryParse(text, out var newId))
                    throw new SeedStepFailed($"{label}: {request} answered 201 without a newReferralId:{Environment.NewLine}  {response.Body}");
                var newLabel = $"referral {newId} (redirected from {id})";
                var current = await GetAsync(newId, following[0].By, newLabel, ct);
                await RunStepsAsync(newId, current.ETag, following, newLabel, ct);
            }
        }
    }

    private async Task<ReferralSeen> GetAsync(Guid id, string username, string label, CancellationToken ct)
    {
        var token = await TokenAsync(username, label, ct);
        var response = await gateway.SendAsync(HttpMethod.Get, $"api/referrals/{id}", token, null, null, $"reading {label}", ct);
        if (response.StatusCode != 200 || response.ETag is null)
            throw Refused(label, $"GET /api/referrals/{id} as {username}", response);
        try
        {
            var view = JsonNode.Parse(response.Body);
            var latest = view?["messages"]?.AsArray().LastOrDefault()?["id"]?.GetValue<string>();
            return new ReferralSeen(view?["status"]?.GetValue<string>(), response.ETag, latest is null ? null : Guid.Parse(latest));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new SeedStepFailed($"{label}: unexpected answer to GET /api/referrals/{id} ({e.Message}):{Environment.NewLine}  " +
                GatewayClient.Shorten(response.Body));
        }
    }

    private Task<string> TokenAsync(string username, string label, CancellationToken ct) =>
        demoTokens.ForStepAsync(username, label, message => new SeedStepFailed(message), ct);

    /// <summary>400 whose only complaint is the receiver, unknown to Referrals (or deactivated).</summary>
    private static bool ReceiverNotYetKnown(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["errors"] is JsonObject errors
                && errors.Count == 1 && errors.ContainsKey("receiverOrganisationId");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static SeedStepFailed Refused(string label, string request, ApiResponse response) =>
        new($"{label}: {request} was refused: HTTP {response.StatusCode}" +
            (response.Body.Length > 0 ? $"{Environment.NewLine}  {GatewayClient.Shorten(response.Body)}" : ""));

    private sealed record ReferralSeen(string? Status, string ETag, Guid? LatestMessageId);

    private sealed class SeedStepFailed(string message) : Exception(message);
}
