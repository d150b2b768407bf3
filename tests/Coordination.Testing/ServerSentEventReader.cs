namespace Coordination.Testing;

/// <summary>Reads a server-sent event stream one event at a time, as a browser's EventSource splits it.</summary>
public static class ServerSentEventReader
{
    /// <summary>The next event, its lines joined by '\n' (up to the blank line that ends it); empty at the end of the stream.</summary>
    public static async Task<string> NextEventAsync(this StreamReader reader, CancellationToken ct)
    {
        var lines = new List<string>();
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0 && lines.Count > 0) break;
            if (line.Length > 0) lines.Add(line);
        }
        return string.Join('\n', lines);
    }

    /// <summary>The next event named <paramref name="type"/>, others (keep-alives) passed over; empty at the end of the stream.</summary>
    public static async Task<string> NextEventAsync(this StreamReader reader, string type, CancellationToken ct)
    {
        while (true)
        {
            var block = await reader.NextEventAsync(ct);
            if (block.Length == 0 || block.Split('\n').Contains($"event: {type}"))
                return block;
        }
    }
}
