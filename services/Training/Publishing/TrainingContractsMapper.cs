using Coordination.Contracts;
using Coordination.ServiceDefaults.Messaging;
using Coordination.Training.Interventions;
using Coordination.Training.Modules;
using Coordination.Training.Sessions;
using Coordination.Training.Sessions.GettingDetails;
using JasperFx.Events;
using Published = Coordination.Contracts.Training;

namespace Coordination.Training.Publishing;

/// <summary>
/// What the Dashboard charts: sessions, fill rate, participants per network, satisfaction, interventions — counts only; and,
/// for Notifications alone, who among the registrants is to be told of a cancellation, a move, a place or a reminder.
/// </summary>
public sealed class TrainingContractsMapper : IIntegrationEventMapper
{
    public IReadOnlyCollection<Type> PublishedEventTypes { get; } =
    [
        typeof(SessionScheduled), typeof(ParticipantRegistered), typeof(ParticipantWaitlisted), typeof(RegistrationCancelled),
        typeof(WaitlistedParticipantPromoted), typeof(AttendanceRecorded), typeof(EvaluationSubmitted), typeof(SessionCancelled),
        typeof(Interventions.JointInterventionRecorded), typeof(SessionRescheduled), typeof(RegistrantsReminded),
    ];

    public async Task<IReadOnlyList<(IEvent Stored, IIntegrationEvent Contract)>> MapAsync(
        IReadOnlyList<IEvent> page, IDocumentOperations operations, CancellationToken ct)
    {
        var sessionIds = page.Where(e => e.Data is not Interventions.JointInterventionRecorded).Select(e => e.StreamId).Distinct().ToArray();
        var sessions = sessionIds.Length == 0 ? [] : (await operations.LoadManyAsync<SessionDetails>(ct, sessionIds)).ToDictionary(s => s.Id);
        var mapped = new List<(IEvent, IIntegrationEvent)>();
        foreach (var e in page)
        {
            if (e.Data is Interventions.JointInterventionRecorded i)
                mapped.Add((e, new Published.JointInterventionRecorded(i.InterventionId, i.Departement, Code(i.Kind), i.Date, i.IscgPosts,
                    i.Associations, i.Partners, i.AttendanceCount, e.Version, i.At)));
            else if (sessions.TryGetValue(e.StreamId, out var s))
            {
                if (Map(e, s) is { } counts) mapped.Add((e, counts));
                if (Notice(e, s) is { } notice) mapped.Add((e, notice));
            }
        }
        return mapped;
    }

    private static IIntegrationEvent? Map(IEvent e, SessionDetails s) => e.Data switch
    {
        SessionScheduled x => new Published.TrainingSessionScheduled(s.Id, x.ModuleId, x.ModuleVersion, s.Departement, Code(x.Audience), x.Capacity,
            x.StartsAt, e.Version, x.At),
        ParticipantRegistered or ParticipantWaitlisted or RegistrationCancelled or WaitlistedParticipantPromoted =>
            new Published.TrainingRegistrationsChanged(s.Id, s.Departement, s.Capacity, s.Registered.Count, s.Waitlist.Count, e.Version, e.Timestamp),
        AttendanceRecorded a => new Published.TrainingSessionHeld(s.Id, s.Departement, s.Capacity, s.Registered.Count,
            Attended(s, a, Network.Aniscg), Attended(s, a, Network.FranceVictimes), Attended(s, a, Network.Partners), e.Version, a.At,
            [.. s.Registered.Where(p => a.Present.Contains(p.UserId)).GroupBy(p => p.OrganisationId).OrderBy(g => g.Key)
                .Select(g => new Published.OrganisationAttendance(g.Key, g.Count()))]),
        EvaluationSubmitted v => new Published.TrainingEvaluationSubmitted(s.Id, s.Departement, v.Rating, e.Version, v.At),
        SessionCancelled c => new Published.TrainingSessionCancelled(s.Id, s.Departement, s.Registered.Count, s.Waitlist.Count, e.Version, c.At),
        _ => null,
    };

    /// <summary>Who is to be told, for Notifications: account ids only (the message id is the event's; the type tells apart).</summary>
    private static Published.TrainingRegistrantsNotice? Notice(IEvent e, SessionDetails s) => e.Data switch
    {
        SessionCancelled c => Notice(s, "cancelled", Everyone(s), s.StartsAt, null, e.Version, c.At),
        SessionRescheduled m => Notice(s, "moved", Everyone(s), m.StartsAt, m.PreviousStartsAt, e.Version, m.At),
        WaitlistedParticipantPromoted p => Notice(s, "promoted", [p.UserId], s.StartsAt, null, e.Version, p.At),
        RegistrantsReminded r => Notice(s, "reminder", r.UserIds, r.StartsAt, null, e.Version, r.At),
        _ => null,
    };

    private static IReadOnlyList<string> Everyone(SessionDetails s) =>
        [.. s.Registered.Select(p => p.UserId), .. s.Waitlist.Select(p => p.UserId)];

    private static Published.TrainingRegistrantsNotice? Notice(SessionDetails s, string moment, IReadOnlyList<string> userIds,
        DateTimeOffset startsAt, DateTimeOffset? previous, long version, DateTimeOffset at) =>
        userIds.Count == 0 ? null : new Published.TrainingRegistrantsNotice(s.Id, moment, userIds, startsAt, previous, version, at);

    private static int Attended(SessionDetails s, AttendanceRecorded a, Network network) =>
        s.Registered.Count(p => p.Network == network && a.Present.Contains(p.UserId));

    private static string Code<T>(T value) where T : struct, Enum => ContractCodes.Of(value);
}
