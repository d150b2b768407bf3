using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Coordination.Operations.Tests;

/// <summary>
/// A tiny OTLP/HTTP receiver (protobuf), what the trace viewer is to <c>./coordination up</c>: services export to it with
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> + <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>. It keeps every payload (for the
/// personal-data canary, which searches their bytes) and decodes the spans (service, trace, span, parent, kind, name).
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> payloads = new();

    public Uri Endpoint { get; }

    private OtlpCollector(WebApplication app, Uri endpoint)
    {
        this.app = app;
        Endpoint = endpoint;
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            payloads.Enqueue((signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
    }

    public static async Task<OtlpCollector> StartAsync()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        var endpoint = new Uri($"http://127.0.0.1:{port}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(endpoint.ToString());
        var collector = new OtlpCollector(builder.Build(), endpoint);
        await collector.app.StartAsync();
        return collector;
    }

    /// <summary>The settings that make a service export here, quickly (batches every 500 ms).</summary>
    public Dictionary<string, string> ExporterSettings() => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "500",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "5000",
    };

    public IReadOnlyList<(string Signal, byte[] Body)> Payloads => [.. payloads];

    /// <summary>The services (resource <c>service.name</c>) that exported at least one payload of this signal.</summary>
    public HashSet<string> Exporters(string signal) =>
        [.. Payloads.Where(p => p.Signal == signal).SelectMany(p => Resources(p.Body))];

    public List<Span> Spans() => [.. Payloads.Where(p => p.Signal == "traces").SelectMany(p => DecodeSpans(p.Body))];

    public sealed record Span(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind);

    public const int Server = 2, Client = 3, Producer = 4, Consumer = 5;

    // ExportTraceServiceRequest { repeated ResourceSpans = 1 } ; ResourceSpans { Resource = 1; repeated ScopeSpans = 2 }
    // ScopeSpans { scope = 1; repeated Span = 2 } ; Span { trace_id = 1; span_id = 2; parent_span_id = 4; name = 5; kind = 6 }
    private static IEnumerable<Span> DecodeSpans(byte[] body)
    {
        foreach (var resourceSpans in Protobuf.Messages(body, 1))
        {
            var service = ServiceName(resourceSpans);
            foreach (var scopeSpans in Protobuf.Messages(resourceSpans, 2))
                foreach (var span in Protobuf.Messages(scopeSpans, 2))
                {
                    string Hex(int field) => Protobuf.Messages(span, field).Select(b => Convert.ToHexString(b.Span)).FirstOrDefault() ?? "";
                    var name = Protobuf.Messages(span, 5).Select(b => System.Text.Encoding.UTF8.GetString(b.Span)).FirstOrDefault() ?? "";
                    var kind = (int)(Protobuf.Varints(span, 6).FirstOrDefault());
                    yield return new Span(service, Hex(1), Hex(2), Hex(4), name, kind);
                }
        }
    }

    // Every export request starts with repeated Resource* = 1, whose Resource = 1 holds attributes (KeyValue = 1).
    private static IEnumerable<string> Resources(byte[] body) => Protobuf.Messages(body, 1).Select(ServiceName);

    private static string ServiceName(ReadOnlyMemory<byte> resourceHolder)
    {
        foreach (var resource in Protobuf.Messages(resourceHolder, 1))
            foreach (var attribute in Protobuf.Messages(resource, 1))
            {
                var key = Protobuf.Messages(attribute, 1).Select(b => System.Text.Encoding.UTF8.GetString(b.Span)).FirstOrDefault();
                if (key != "service.name") continue;
                // KeyValue { key = 1; AnyValue value = 2 } ; AnyValue { string_value = 1 }
                return Protobuf.Messages(attribute, 2).SelectMany(v => Protobuf.Messages(v, 1))
                    .Select(b => System.Text.Encoding.UTF8.GetString(b.Span)).FirstOrDefault() ?? "";
            }
        return "";
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    /// <summary>Just enough of the protobuf wire format to walk OTLP messages.</summary>
    private static class Protobuf
    {
        public static IEnumerable<ReadOnlyMemory<byte>> Messages(ReadOnlyMemory<byte> data, int field) =>
            Fields(data).Where(f => f.Field == field && f.WireType == 2).Select(f => f.Bytes);

        public static IEnumerable<ulong> Varints(ReadOnlyMemory<byte> data, int field) =>
            Fields(data).Where(f => f.Field == field && f.WireType == 0).Select(f => f.Varint);

        private static IEnumerable<(int Field, int WireType, ReadOnlyMemory<byte> Bytes, ulong Varint)> Fields(ReadOnlyMemory<byte> data)
        {
            var position = 0;
            while (position < data.Length)
            {
                var tag = ReadVarint(data.Span, ref position);
                var (field, wireType) = ((int)(tag >> 3), (int)(tag & 7));
                switch (wireType)
                {
                    case 0:
                        yield return (field, wireType, ReadOnlyMemory<byte>.Empty, ReadVarint(data.Span, ref position));
                        break;
                    case 1:
                        position += 8;
                        break;
                    case 2:
                        var length = (int)ReadVarint(data.Span, ref position);
                        yield return (field, wireType, data.Slice(position, length), 0);
                        position += length;
                        break;
                    case 5:
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"protobuf wire type {wireType} at {position}");
                }
            }
        }

        private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[position++];
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
        }
    }
}
