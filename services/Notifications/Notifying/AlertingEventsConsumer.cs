using Coordination.Contracts;
using Coordination.Contracts.Projects;
using Coordination.Contracts.Referrals;
using Coordination.Contracts.Training;
using Coordination.Notifications.Audience;
using Coordination.Notifications.Delivering;
using Coordination.Notifications.Preferences;
using Coordination.Notifications.Rotas;
using Coordination.Notifications.Rules;
using Coordination.ServiceDefaults.Messaging;
using Marten;
using MassTransit;

namespace Coordination.Notifications.Notifying;

/// <summary>
/// The events people are told about. In one transaction with the message id: the rules are applied, and one notification
/// and one e-mail delivery per recipient are stored (ids derived from the event). Sending is the delivery worker's job.
/// </summary>
public sealed class AlertingEventsConsumer(IDocumentStore store, TimeProvider time, DeliverySignal signal, Live.NotificationFeed feed) :
    IConsumer<ReferralSent>, IConsumer<ReferralOverdue>, IConsumer<ReferralAccepted>, IConsumer<ReferralDeclined>,
    IConsumer<ReferralRedirected>, IConsumer<ReferralExpired>, IConsumer<ReferralCompleted>, IConsumer<ReferralMessagePosted>,
    IConsumer<ProjectMilestoneOverdue>, IConsumer<SupportRequestAnswered>, IConsumer<TrainingRegistrantsNotice>
{
    public Task Consume(ConsumeContext<ReferralSent> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralOverdue> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralAccepted> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralDeclined> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralRedirected> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralExpired> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralCompleted> context) => Notify(context);
    public Task Consume(ConsumeContext<ReferralMessagePosted> context) => Notify(context);
    public Task Consume(ConsumeContext<ProjectMilestoneOverdue> context) => Notify(context);
    public Task Consume(ConsumeContext<SupportRequestAnswered> context) => Notify(context);
    public Task Consume(ConsumeContext<TrainingRegistrantsNotice> context) => Notify(context);

    private async Task Notify<T>(ConsumeContext<T> context) where T : class, IIntegrationEvent
    {
        var messageId = context.MessageId
            ?? throw new PoisonMessage($"{typeof(T).Name} received without a message id: refused (cannot be deduplicated).");
        var told = new List<string>();
        var stored = await store.ProcessOnce(messageId, typeof(T).FullName!, time,
            async session => told.AddRange(await NotifyIn(session, context.Message, time.GetUtcNow(), context.CancellationToken)),
            context.CancellationToken, correlationId: context.Headers.Get<string>(ServiceDefaults.Http.CorrelationIds.HeaderName));
        if (stored && told.Count > 0)
        {
            signal.Wake();
            feed.Announce(told);
        }
    }

    /// <summary>Apply the rules to one event and store what follows; returns who was told.</summary>
    public static async Task<IReadOnlyList<string>> NotifyIn(IDocumentSession session, IIntegrationEvent message, DateTimeOffset now, CancellationToken ct)
    {
        Guid? lead = null;
        if (message is ProjectMilestoneOverdue or SupportRequestAnswered)
        {
            var projectId = message is ProjectMilestoneOverdue m ? m.ProjectId : ((SupportRequestAnswered)message).ProjectId;
            lead = (await session.LoadAsync<ProjectLead>(projectId, ct))?.LeadOrganisationId;
        }
        var alert = NotificationRules.Decide(message, _ => lead);
        if (alert is null)
            return [];

        var organisations = alert.Audiences.Select(OrganisationOf).OfType<Guid>().Distinct().ToArray();
        var members = new List<Member>();
        var rotas = new Dictionary<Guid, OnCallRota?>();
        foreach (var organisation in organisations)
        {
            members.AddRange(await session.Query<Member>().Where(m => m.OrganisationId == organisation && m.Active).ToListAsync(ct));
            rotas[organisation] = await session.LoadAsync<OnCallRota>(OnCallRota.StreamId(organisation), ct);
        }
        var people = alert.Audiences.OfType<Rules.Audience.People>().SelectMany(p => p.UserIds).Distinct().ToArray();
        if (people.Length > 0)
            members.AddRange(await session.Query<Member>().Where(m => m.UserId.IsOneOf(people) && m.Active).ToListAsync(ct));
        var recipients = Recipients.Resolve(alert.Audiences, members, o => rotas.GetValueOrDefault(o), now);
        if (recipients.Count == 0)
            return [];

        var preferences = (await session.LoadManyAsync<NotificationPreferences>(ct,
                recipients.Select(r => NotificationPreferences.StreamId(r.UserId)).ToArray()))
            .ToDictionary(p => p.UserId);
        // The event's identity, not the message's: a replay under a new message id finds the same ids.
        var eventKey = $"{message.GetType().Name}:{message.SourceStreamId}:{message.SourceVersion}";
        foreach (var recipient in recipients)
        {
            var notificationId = DeterministicId.From(eventKey, recipient.UserId);
            session.Insert(new Notification(notificationId, recipient.UserId, recipient.OrganisationId, alert.Kind, alert.Category,
                alert.Subject, recipient.OnCall, now, null));
            var plan = Recipients.Schedule(alert, preferences.GetValueOrDefault(recipient.UserId)
                ?? NotificationPreferences.Default(recipient.UserId), now);
            var off = plan.Mode == DeliveryMode.Off;
            session.Insert(new Delivery(DeterministicId.From(eventKey, recipient.UserId, Delivery.Email), notificationId, recipient.UserId,
                recipient.OrganisationId, Delivery.Email, plan.Mode, off ? DeliveryStatus.Skipped : DeliveryStatus.Pending, plan.DueAt,
                0, off ? "preference-off" : null, null, null, now));
        }
        return [.. recipients.Select(r => r.UserId)];
    }

    private static Guid? OrganisationOf(Rules.Audience audience) => audience switch
    {
        Rules.Audience.People => null,
        Rules.Audience.Staff s => s.OrganisationId,
        Rules.Audience.Managers s => s.OrganisationId,
        Rules.Audience.OnCallOrElseStaff s => s.OrganisationId,
        _ => throw new ArgumentOutOfRangeException(nameof(audience)),
    };
}

/// <summary>Which organisation leads each project, from the Projects contracts (stored as this service's streams).</summary>
public sealed class ProjectEventsConsumer(IDocumentStore store, TimeProvider time) : IConsumer<ProjectStageChanged>
{
    public Task Consume(ConsumeContext<ProjectStageChanged> context) => IntegrationEventInbox.Store(store, time, context);
}
