using Coordination.Notifications.Audience;
using Coordination.Notifications.Preferences.SettingPreferences;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Notifications.Rotas.SettingRota;

public sealed record OnCallSlotRequest(IReadOnlyList<DayOfWeek>? Days, string? From, string? To, IReadOnlyList<string>? UserIds);

public sealed record SetOnCallRotaRequest(IReadOnlyList<OnCallSlotRequest>? Slots);

public sealed record SetOnCallRota(Guid OrganisationId, IReadOnlyList<OnCallSlot> Slots, string By, DateTimeOffset At);

public sealed record OnCallSlotView(IReadOnlyList<DayOfWeek> Days, string From, string To, IReadOnlyList<string> UserIds);

/// <summary>The rota, who is on call now, and the staff a manager may put on it (their names: for the manager's eyes only).</summary>
public sealed record OnCallRotaView(Guid OrganisationId, IReadOnlyList<OnCallSlotView> Slots, IReadOnlyList<string> OnCallNow,
    IReadOnlyList<StaffMember> Staff, long Version);

public sealed record StaffMember(string UserId, string? DisplayName, bool Manager);

public static class SetOnCallRotaEndpoint
{
    public const int MaxSlots = 50;

    /// <param name="staff">The organisation's active staff: only they may be on call.</param>
    public static IReadOnlyList<object> Decide(SetOnCallRota command, IReadOnlySet<string> staff)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Slots.Count > MaxSlots)
            errors["slots"] = [$"Au plus {MaxSlots} créneaux."];
        for (var i = 0; i < command.Slots.Count; i++)
        {
            var slot = command.Slots[i];
            if (slot.Days.Count == 0)
                errors[$"slots[{i}].days"] = ["Choisissez au moins un jour."];
            if (slot.UserIds.Count == 0)
                errors[$"slots[{i}].userIds"] = ["Choisissez au moins une personne d'astreinte."];
            else if (slot.UserIds.Any(u => !staff.Contains(u)))
                errors[$"slots[{i}].userIds"] = ["Seuls les membres actifs de l'organisation peuvent être d'astreinte."];
            if (slot.From == slot.To)
                errors[$"slots[{i}].to"] = ["La fin du créneau doit différer de son début."];
        }
        if (errors.Count > 0)
            throw new InvalidRequest(errors);
        return [new OnCallRotaSet(command.OrganisationId, command.Slots, command.By, command.At)];
    }

    public static RouteGroupBuilder MapOnCallRota(this RouteGroupBuilder group)
    {
        group.MapGet("/rotas/{organisationId:guid}", async (Guid organisationId, HttpContext http, IQuerySession session, TimeProvider time,
                CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                // Another organisation's rota does not exist, as far as the caller can tell.
                if (!user.WorksFor(organisationId))
                    throw new ResourceNotFound("Aucune astreinte pour cette organisation.");
                var id = OnCallRota.StreamId(organisationId);
                var rota = await session.LoadAsync<OnCallRota>(id, ct) ?? new OnCallRota(id, organisationId, []);
                var version = (await session.Events.FetchStreamStateAsync(id, ct))?.Version ?? 0;
                if (version > 0)
                    http.Response.SetETag(version);
                var staff = await Staff(session, organisationId, ct);
                return TypedResults.Ok(new OnCallRotaView(organisationId,
                    [.. rota.Slots.Select(s => new OnCallSlotView(s.Days, SetPreferencesEndpoint.Format(s.From), SetPreferencesEndpoint.Format(s.To), s.UserIds))],
                    [.. rota.OnCallAt(time.GetUtcNow()).Order(StringComparer.Ordinal)],
                    // Names only for the manager who sets the rota; colleagues see who by id.
                    [.. staff.Select(m => new StaffMember(m.UserId, user.IsOrganisationManager ? m.DisplayName : null, m.OrganisationManager))],
                    version));
            })
            .WithName("GetOnCallRota")
            .WithSummary("The organisation's on-call rota (staff of that organisation).");

        group.MapPut("/rotas/{organisationId:guid}", async (Guid organisationId, SetOnCallRotaRequest request, HttpContext http,
                IDocumentSession session, TimeProvider time, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                if (!user.WorksFor(organisationId))
                    throw new ResourceNotFound("Aucune astreinte pour cette organisation.");
                if (!user.IsOrganisationManager)
                    throw new AccessDenied("Seul·e le ou la responsable de l'organisation peut modifier l'astreinte.");
                var slots = ParseSlots(request.Slots ?? []);
                var staff = (await Staff(session, organisationId, ct)).Select(m => m.UserId).ToHashSet();
                var command = new SetOnCallRota(organisationId, slots, user.UserId, time.GetUtcNow());
                var version = await SetPreferencesEndpoint.Save<OnCallRota>(session, OnCallRota.StreamId(organisationId), http,
                    () => Decide(command, staff), ct);
                http.Response.SetETag(version);
                return TypedResults.NoContent();
            })
            .WithName("SetOnCallRota")
            .WithSummary("Replace the organisation's on-call rota (its manager). If-Match with the version read, except the first time.");
        return group;
    }

    private static async Task<IReadOnlyList<Member>> Staff(IQuerySession session, Guid organisationId, CancellationToken ct) =>
        [.. (await session.Query<Member>().Where(m => m.OrganisationId == organisationId && m.Active).ToListAsync(ct))
            .Where(m => m.IsStaffOf(organisationId)).OrderBy(m => m.UserId, StringComparer.Ordinal)];

    private static List<OnCallSlot> ParseSlots(IReadOnlyList<OnCallSlotRequest> requests)
    {
        var errors = new Dictionary<string, string[]>();
        var slots = new List<OnCallSlot>();
        for (var i = 0; i < requests.Count; i++)
        {
            var r = requests[i];
            var from = SetPreferencesEndpoint.ParseTime(r.From, $"slots[{i}].from", errors);
            var to = SetPreferencesEndpoint.ParseTime(r.To, $"slots[{i}].to", errors);
            slots.Add(new OnCallSlot([.. (r.Days ?? []).Distinct()], from, to, [.. (r.UserIds ?? []).Distinct()]));
        }
        if (errors.Count > 0)
            throw new InvalidRequest(errors);
        return slots;
    }
}
