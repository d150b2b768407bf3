using Coordination.Dashboard.Organisations;
using Coordination.Dashboard.Receiving;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events.Projections;
using Marten;

namespace Coordination.Dashboard;

public static class DashboardServiceExtensions
{
    public const string SchemaName = "dashboard";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        // The views send the same few dozen statements again and again: prepared on each pooled connection, their plans
        // are kept (planning the inlined rule functions cost as much as running a statement over the totals). The pool
        // is the service's one, shared with Marten and the readiness check.
        builder.AddEventStore(SchemaName, ConfigureStore, connections =>
        {
            connections.MaxAutoPrepare = 100;
            connections.AutoPrepareMinUsages = 2;
        });

        builder.Services.AddHostedService<Referrals.ReferralMonthRollupSetup>();
        builder.Services.AddSingleton<Live.DashboardChangeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Live.DashboardChangeFeed>());
        builder.Services.AddHybridCache();
        builder.Services.AddSingleton<Indicators.IndicatorCache>();
        builder.Services.AddSingleton<Rebuilding.RebuildRunner>();

        // Many messages in flight per queue, kept in batches by one writer: one transaction for what arrived together.
        // Before the bus, so that it stops after it. Several at once never race on a view: see InboxWriter.
        builder.Services.AddInboxWriter();
        builder.AddMessaging(serviceName: "dashboard", StoredContracts.AddConsumers, concurrentMessageLimit: InboxWriter.MaxBatch);
        return builder;
    }

    /// <summary>The Dashboard's streams and views; also used by the synthetic-volume loader, so both agree.</summary>
    public static void ConfigureStore(StoreOptions options)
    {
        StoredContracts.MapEventTypes(options);

        options.Projections.Add(new ParticipatingOrganisationProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new Coordination.Dashboard.Referrals.ReferralFactsProjection(), ProjectionLifecycle.Inline);
        // The indicators aggregate in SQL over these columns (never by loading documents or replaying events).
        // An organisation's delays are read from its hand-offs on each side (ReferralFigures.OrganisationDelayRows): these
        // two indexes hold all they need, so that read touches a few index pages instead of a table page per hand-off.
        // Keyed by organisation then sent_at, so that the period is part of the index condition: keyed by the organisation
        // alone, the generic plan of the prepared statement (parameters unknown) ANDed it with the sent_at index, a bitmap
        // of every hand-off of the period (247,000 at national volume, 90-280 ms) at each read of an organisation's delays.
        string[] delayColumns = ["status", "urgency", "acknowledged_at", "acknowledge_by", "first_contact_at", "overdue"];
        options.Schema.For<Coordination.Dashboard.Referrals.ReferralFacts>()
            .Duplicate(f => f.SentAt).Duplicate(f => f.SenderOrganisationId).Duplicate(f => f.ReceiverOrganisationId)
            .Index([f => f.SenderOrganisationId, f => f.SentAt!], index =>
            {
                index.Name = "mt_doc_referralfacts_idx_sender_sent_at";
                index.IncludeColumns = ["receiver_organisation_id", .. delayColumns];
            })
            .Index([f => f.ReceiverOrganisationId, f => f.SentAt!], index =>
            {
                index.Name = "mt_doc_referralfacts_idx_receiver_sent_at";
                index.IncludeColumns = ["sender_organisation_id", .. delayColumns];
            })
            .Duplicate(f => f.Departement).Duplicate(f => f.Status).Duplicate(f => f.Urgency).Duplicate(f => f.AcknowledgedAt).Duplicate(f => f.AcceptedAt)
            .Duplicate(f => f.FirstContactAt).Duplicate(f => f.AcknowledgeBy).Duplicate(f => f.Outcome).Duplicate(f => f.LastEventAt)
            .Duplicate(f => f.Situation).Duplicate(f => f.Overdue);
        // Monthly totals kept by a trigger on that table: see ReferralMonthRollup.

        options.Projections.Add(new Training.TrainingSessionFactsProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new Training.JointInterventionFactsProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Rebuilding.RebuildJob>();
        options.Schema.For<Training.TrainingSessionFacts>().Duplicate(f => f.Departement).Duplicate(f => f.StartsAt);
        options.Schema.For<Training.JointInterventionFacts>().Duplicate(f => f.Departement).Duplicate(f => f.OnDay);
        options.Projections.Add(new Projects.ProjectFactsProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new Projects.SupportRequestFactsProjection(), ProjectionLifecycle.Inline);
        options.Schema.For<Projects.ProjectFacts>().Duplicate(f => f.Stage).Duplicate(f => f.LeadOrganisationId);
        options.Schema.For<Projects.SupportRequestFacts>().Duplicate(f => f.ProjectId);
        Aids.AidsDashboard.ConfigureStore(options);
    }
}
