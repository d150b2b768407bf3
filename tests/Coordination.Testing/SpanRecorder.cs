using System.Collections.Concurrent;
using System.Diagnostics;

namespace Coordination.Testing;

/// <summary>
/// Every span of every source in this process, as text (name, status, tags, events, baggage): what the personal-data
/// canaries search, with <see cref="LogRecorder"/> for the logs. Listens from construction to disposal.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener listener;

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                Lines.Enqueue($"span {a.Source.Name} {a.DisplayName} {a.StatusDescription}");
                foreach (var (key, value) in a.TagObjects) Lines.Enqueue($"tag {key}={value}");
                foreach (var e in a.Events) Lines.Enqueue($"event {e.Name} {string.Join(",", e.Tags.Select(t => $"{t.Key}={t.Value}"))}");
                foreach (var (key, value) in a.Baggage) Lines.Enqueue($"baggage {key}={value}");
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentQueue<string> Lines { get; } = new();

    public void Dispose() => listener.Dispose();

    /// <summary>
    /// The lines (at most three per canary) that contain a canary as given, URL-escaped or JSON-escaped: empty when
    /// nothing leaked.
    /// </summary>
    public static IReadOnlyList<string> Leaks(IReadOnlyCollection<string> lines, params string[] canaries) =>
        canaries.Concat(canaries.Select(Uri.EscapeDataString)).Concat(canaries.Select(c => c.Replace("é", "\\u00E9"))).Distinct()
            .SelectMany(canary => lines.Where(line => line.Contains(canary, StringComparison.OrdinalIgnoreCase)).Take(3)
                .Select(line => $"« {canary} »: {line}"))
            .ToList();
}
