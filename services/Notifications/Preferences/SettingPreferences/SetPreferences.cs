using System.Globalization;
using Coordination.Notifications.Rules;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Http;
using Coordination.ServiceDefaults.Security;
using Marten;

namespace Coordination.Notifications.Preferences.SettingPreferences;

public sealed record QuietHoursRequest(string? From, string? To);

public sealed record SetPreferencesRequest(IReadOnlyList<CategoryPreference>? Categories, QuietHoursRequest? QuietHours);

public sealed record SetPreferences(string UserId, IReadOnlyList<CategoryPreference> Categories, QuietHours? QuietHours, DateTimeOffset At);

/// <param name="Categories">Every category with the mode in force (urgent ones always <c>immediate</c>, <c>locked</c>).</param>
public sealed record PreferencesView(IReadOnlyList<CategoryPreferenceView> Categories, QuietHoursRequest? QuietHours, long Version);

public sealed record CategoryPreferenceView(Category Category, DeliveryMode Mode, bool Locked);

public static class SetPreferencesEndpoint
{
    public static IReadOnlyList<object> Decide(SetPreferences command)
    {
        var errors = new Dictionary<string, string[]>();
        if (command.Categories.GroupBy(c => c.Category).Any(g => g.Count() > 1))
            errors["categories"] = ["Chaque catégorie ne peut apparaître qu'une fois."];
        if (command.Categories.Any(c => Categories.IsUrgent(c.Category) && c.Mode != DeliveryMode.Immediate))
            errors["categories"] = ["Les alertes urgentes (orientation urgente, orientation en retard) partent toujours immédiatement : " +
                                    "elles ne peuvent être ni désactivées ni regroupées pendant une astreinte."];
        if (errors.Count > 0)
            throw new InvalidRequest(errors);
        return [new PreferencesSet(command.UserId, command.Categories, command.QuietHours, command.At)];
    }

    public static RouteGroupBuilder MapPreferences(this RouteGroupBuilder group)
    {
        group.MapGet("/preferences", async (HttpContext http, IQuerySession session, CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var id = NotificationPreferences.StreamId(user.UserId);
                var preferences = await session.LoadAsync<NotificationPreferences>(id, ct) ?? NotificationPreferences.Default(user.UserId);
                var version = (await session.Events.FetchStreamStateAsync(id, ct))?.Version ?? 0;
                if (version > 0)
                    http.Response.SetETag(version);
                return TypedResults.Ok(View(preferences, version));
            })
            .WithName("GetNotificationPreferences")
            .WithSummary("The caller's preferences per category (at once, daily digest at 08:00, off) and quiet hours.");

        group.MapPut("/preferences", async (SetPreferencesRequest request, HttpContext http, IDocumentSession session, TimeProvider time,
                CancellationToken ct) =>
            {
                var user = CurrentUser.From(http.User);
                var command = new SetPreferences(user.UserId, request.Categories ?? [], ParseQuietHours(request.QuietHours), time.GetUtcNow());
                var id = NotificationPreferences.StreamId(user.UserId);
                var version = await Save<NotificationPreferences>(session, id, http, () => Decide(command), ct);
                http.Response.SetETag(version);
                var saved = await session.LoadAsync<NotificationPreferences>(id, ct) ?? NotificationPreferences.Default(user.UserId);
                return TypedResults.Ok(View(saved, version));
            })
            .WithName("SetNotificationPreferences")
            .WithSummary("Replace the caller's preferences. If-Match with the version read, except the first time.");
        return group;
    }

    /// <summary>
    /// A stream that does not exist yet is created without If-Match; an existing one needs it (428 without, 412 if stale).
    /// Used by the preferences and the rotas.
    /// </summary>
    public static async Task<long> Save<TState>(IDocumentSession session, Guid id, HttpContext http, Func<IReadOnlyList<object>> decide, CancellationToken ct) where TState : class
    {
        var state = await session.Events.FetchStreamStateAsync(id, ct);
        if (state is null)
        {
            var events = decide();
            session.Events.StartStream(id, events);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException)
            {
                throw new StaleVersion(0, 1);
            }
            return events.Count;
        }
        var expected = await ExpectedVersion.BindAsync(http);
        return await session.GetAndUpdate<TState>(id, expected!, _ => decide(), ct);
    }

    private static QuietHours? ParseQuietHours(QuietHoursRequest? request)
    {
        if (request is null || (request.From is null && request.To is null))
            return null;
        var errors = new Dictionary<string, string[]>();
        var from = ParseTime(request.From, "quietHours.from", errors);
        var to = ParseTime(request.To, "quietHours.to", errors);
        if (errors.Count == 0 && from == to)
            errors["quietHours"] = ["Le début et la fin des heures calmes doivent différer."];
        if (errors.Count > 0)
            throw new InvalidRequest(errors);
        return new QuietHours(from, to);
    }

    public static TimeOnly ParseTime(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        errors[field] = ["Indiquez une heure au format HH:mm (par exemple 21:00)."];
        return default;
    }

    public static string Format(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static PreferencesView View(NotificationPreferences p, long version) => new(
        [.. Categories.All.Select(c => new CategoryPreferenceView(c, Categories.IsUrgent(c) ? DeliveryMode.Immediate : p.ModeFor(c), Categories.IsUrgent(c)))],
        p.QuietHours is { } q ? new QuietHoursRequest(Format(q.From), Format(q.To)) : null, version);
}
