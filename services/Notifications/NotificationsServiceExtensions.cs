using Coordination.Notifications.Audience;
using Coordination.Notifications.Delivering;
using Coordination.Notifications.Live;
using Coordination.Notifications.Notifying;
using Coordination.Notifications.Preferences;
using Coordination.Notifications.Rotas;
using Coordination.ServiceDefaults.EventSourcing;
using Coordination.ServiceDefaults.Mail;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events.Projections;
using Marten;
using Directory = Coordination.Contracts.Directory;
using Identity = Coordination.Contracts.Identity;
using Projects = Coordination.Contracts.Projects;

namespace Coordination.Notifications;

public static class NotificationsServiceExtensions
{
    public const string SchemaName = "notifications";

    public static IHostApplicationBuilder AddNotifications(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore(SchemaName, ConfigureStore);

        builder.AddMail();
        builder.Services.AddSingleton<MailComposerFactory>();
        builder.Services.AddSingleton<DeliverySignal>();
        builder.Services.AddHostedService<DeliveryWorker>();
        builder.Services.AddSingleton<NotificationFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationFeed>());
        builder.Services.AddHealthChecks().AddCheck<DeliveryHealthCheck>("mail-deliveries", tags: ["ready"]);

        builder.AddMessaging(serviceName: "notifications", bus =>
        {
            bus.AddConsumer<AccountEventsConsumer>();
            bus.AddConsumer<DirectoryEventsConsumer>();
            bus.AddConsumer<ProjectEventsConsumer>();
            bus.AddConsumer<AlertingEventsConsumer>();
        });
        return builder;
    }

    public static void ConfigureStore(StoreOptions options)
    {
        // Received integration events are stored under names that say where they came from.
        foreach (var type in new[]
                 {
                     typeof(Identity.AccountActivated), typeof(Identity.AccountRoleChanged), typeof(Identity.AccountOrganisationChanged),
                     typeof(Identity.AccountDisabled), typeof(Identity.AccountReenabled), typeof(Identity.AccountDeliveryAddressChanged),
                 })
            options.Events.MapEventType(type, "identity." + type.Name);
        options.Events.MapEventType<Directory.OrganisationRegistered>("directory.organisation_registered");
        options.Events.MapEventType<Directory.OrganisationRenamed>("directory.organisation_renamed");
        options.Events.MapEventType<Directory.OrganisationDeactivated>("directory.organisation_deactivated");
        options.Events.MapEventType<Projects.ProjectStageChanged>("projects.ProjectStageChanged");
        options.Events.MapEventType<OnCallRotaSet>("on_call_rota_set");
        options.Events.MapEventType<PreferencesSet>("preferences_set");

        options.Projections.Add(new MemberProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new KnownOrganisationProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new ProjectLeadProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new OnCallRotaProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new NotificationPreferencesProjection(), ProjectionLifecycle.Inline);

        options.Schema.For<Member>().Duplicate(m => m.UserId).Duplicate(m => m.OrganisationId!);
        options.Schema.For<Notification>().Duplicate(n => n.UserId).Duplicate(n => n.CreatedAt);
        // The delivery worker asks every second for the pending deliveries that are due, oldest first. Sent and failed ones
        // pile up for ever; an index of the pending ones only keeps that query as cheap on the millionth e-mail as on the
        // first (without it: a scan of every delivery ever made, about 1 ms per 7,000 warm). The predicate is the
        // worker's own filter as Marten writes it (enums stored as strings, camel case).
        options.Schema.For<Delivery>()
            .Duplicate(d => d.DueAt, configure: index => index.Predicate = "data ->> 'status' = 'Pending'")
            .Duplicate(d => d.NotificationId).Duplicate(d => d.OrganisationId!);
    }
}
