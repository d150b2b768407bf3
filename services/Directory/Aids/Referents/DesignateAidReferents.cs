using System.Security.Cryptography;
using System.Text;
using Coordination.ReferenceData;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Directory.Aids.Referents;

/// <summary>The people (user ids) who validate and verify a département's local aids, designated by the national coordinators.</summary>
public sealed record AidReferentsDesignated(
    Guid StreamId, string Departement, IReadOnlyList<string> UserIds, string DesignatedBy, DateTimeOffset DesignatedAt);

/// <summary>Who the referents of a département are (one stream per département).</summary>
public sealed record DepartementAidReferents(Guid Id, string Departement, string[] UserIds, DateTimeOffset DesignatedAt, long Version);

public sealed partial class DepartementAidReferentsProjection : SingleStreamProjection<DepartementAidReferents, Guid>
{
    public override DepartementAidReferents? Evolve(DepartementAidReferents? snapshot, Guid id, IEvent e) => e.Data switch
    {
        AidReferentsDesignated d => new DepartementAidReferents(id, d.Departement, [.. d.UserIds], d.DesignatedAt, e.Version),
        _ => snapshot,
    };
}

public sealed record DesignateAidReferentsRequest(IReadOnlyList<string>? UserIds);

public sealed record DesignateAidReferents(string Departement, IReadOnlyList<string> UserIds, string DesignatedBy, DateTimeOffset DesignatedAt);

public static class DesignateAidReferentsEndpoint
{
    /// <summary>A stable stream id per département, so that two designations of one département meet on one stream.</summary>
    public static Guid StreamId(string departement) =>
        new(MD5.HashData(Encoding.UTF8.GetBytes($"aid-referents:{departement}")));

    public static IReadOnlyList<object> Decide(DesignateAidReferents command, DepartementAidReferents? current) =>
        current is not null && current.UserIds.SequenceEqual(command.UserIds)
            ? []
            : [new AidReferentsDesignated(StreamId(command.Departement), command.Departement, command.UserIds, command.DesignatedBy, command.DesignatedAt)];

    public static RouteGroupBuilder MapAidReferents(this RouteGroupBuilder group)
    {
        group.MapPut("/referents/{departement}", Handle)
            .RequireAuthorization(Policies.Coordinators)
            .WithName("DesignateAidReferents")
            .WithSummary("Designate who validates a département's local aids (coordinators; If-Match once designated).");
        group.MapGet("/referents", async (IQuerySession session, CancellationToken ct) =>
                TypedResults.Ok(await session.Query<DepartementAidReferents>().OrderBy(r => r.Departement).ToListAsync(ct)))
            .WithName("ListAidReferents")
            .WithSummary("The designated referents of each département.");
        return group;
    }

    private static async Task<Results<NoContent, ValidationProblem>> Handle(
        string departement, DesignateAidReferentsRequest request, HttpContext http, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var validation = new AidValidation();
        if (!Vocabularies.Departements.ContainsKey(departement))
            validation.Add("departement", $"« {departement[..Math.Min(departement.Length, 10)]} » n'est pas un code de département INSEE.");
        var userIds = (request.UserIds ?? []).Select(u => u?.Trim() ?? "").Where(u => u.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (userIds.Length > 20) validation.Add("userIds", "Pas plus de 20 référents par département.");
        if (userIds.Any(u => u.Length > 100)) validation.Add("userIds", "Un identifiant d'utilisateur ne dépasse pas 100 caractères.");
        if (!validation.IsValid)
            return Problems.Invalid(validation.Errors);

        var id = StreamId(departement);
        var current = await session.LoadAsync<DepartementAidReferents>(id, ct);
        // The first designation creates the stream; later ones replace the list and must say which version they replace.
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (current is not null)
        {
            var expected = await ExpectedVersion.BindAsync(http);
            if (expected!.Value != current.Version)
                throw new StaleVersion(expected.Value, current.Version);
        }
        else if (!string.IsNullOrWhiteSpace(ifMatch))
            throw new StaleVersion(ETags.TryParse(ifMatch, out var v) ? v : 0, 0);

        var command = new DesignateAidReferents(departement, userIds, CurrentUser.From(http.User).UserId, time.GetUtcNow());
        var events = Decide(command, current);
        if (events.Count > 0)
        {
            if (current is null)
                session.Events.StartStream(id, events.ToArray());
            else
            {
                // Marten re-checks the version at commit: a concurrent designation makes this throw (412).
                var stream = await session.Events.FetchForWriting<DepartementAidReferents>(id, current.Version, ct);
                stream.AppendMany(events);
            }
            await session.SaveChangesAsync(ct);
        }
        http.Response.SetETag((current?.Version ?? 0) + events.Count);
        return TypedResults.NoContent();
    }
}
