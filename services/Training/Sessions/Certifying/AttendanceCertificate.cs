using System.Globalization;
using System.Net;
using Coordination.Training.Sessions.GettingDetails;

namespace Coordination.Training.Sessions.Certifying;

/// <summary>An attendance certificate as printable HTML in French: module, dates, duration, organisation.</summary>
public static class AttendanceCertificate
{
    /// <summary>One answer for "no such session", "not your certificate" and "no attendance": none of them tells who attended.</summary>
    public const string NotFound = "Aucune attestation de présence pour cette personne à cette session.";

    public static RouteGroupBuilder MapAttendanceCertificate(this RouteGroupBuilder group)
    {
        group.MapGet("/sessions/{id:guid}/certificates/{userId}", Render)
            .WithName("GetAttendanceCertificate").WithSummary("Printable attendance certificate in French (the attendee, coordinators).");
        return group;
    }

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static async Task<IResult> Render(Guid id, string userId, HttpContext http, IQuerySession session, TimeProvider time, CancellationToken ct)
    {
        var s = await session.LoadAsync<SessionDetails>(id, ct);
        var user = CurrentUser.From(http.User);
        var mayRead = user.UserId == userId || user.IsCoordinatorOrAdmin;
        var attendee = s?.Registered.FirstOrDefault(p => p.UserId == userId);
        if (s is null || !mayRead || attendee is null || !s.Present.Contains(userId))
            return Problems.NotFound(NotFound);

        var starts = TimeZoneInfo.ConvertTime(s.StartsAt, Paris);
        var ends = TimeZoneInfo.ConvertTime(s.EndsAt, Paris);
        var hours = s.DurationMinutes / 60.0;
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        var html = $$"""
            <!doctype html>
            <html lang="fr"><head><meta charset="utf-8"><title>Attestation de présence</title>
            <style>body{font-family:Georgia,serif;max-width:42rem;margin:3rem auto;line-height:1.6}h1{text-align:center}</style></head>
            <body><main>
            <h1>Attestation de présence</h1>
            <p>Les coordinations nationales de France Victimes et de l'ANISCG attestent que
            <strong>{{E(attendee.Name)}}</strong> a suivi la formation conjointe
            « <strong>{{E(s.ModuleTitle)}}</strong> » (version {{s.ModuleVersion}}),</p>
            <p>le {{starts.ToString("dddd d MMMM yyyy", French)}} de {{starts.ToString("HH'h'mm", French)}} à {{ends.ToString("HH'h'mm", French)}}
            {{(s.Place is null ? "à distance" : "à " + E(s.Place))}}, d'une durée de {{hours.ToString("0.#", French)}} heure{{(hours >= 2 ? "s" : "")}}.</p>
            <p>Organisation : {{E(attendee.OrganisationId.ToString())}} — réseau {{(attendee.Network switch { Network.Aniscg => "ANISCG", Network.FranceVictimes => "France Victimes", _ => "partenaires" })}}.</p>
            <p>Fait pour servir et valoir ce que de droit, le {{TimeZoneInfo.ConvertTime(time.GetUtcNow(), Paris).ToString("dd/MM/yyyy", French)}}.</p>
            </main></body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8");
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
