using Coordination.DirectoryView;
using Coordination.Referrals.Archiving;
using Coordination.Referrals.Auditing;
using Coordination.Referrals.Deadlines;
using Coordination.Referrals.Drafting;
using Coordination.Referrals.GettingDetails;
using Coordination.Referrals.Privacy;
using Coordination.Referrals.Publishing;
using Coordination.ServiceDefaults.Messaging;
using JasperFx.Events.Projections;
using Microsoft.Extensions.Options;

namespace Coordination.Referrals;

public static class ReferralsServiceExtensions
{
    public const string SchemaName = "referrals";

    public static IHostApplicationBuilder AddReferrals(this IHostApplicationBuilder builder)
    {
        builder.AddEventStore(SchemaName, options =>
            {
                // Stored names stay stable when classes move or are renamed.
                options.Events.MapEventType<ReferralDrafted>("referral_drafted");
                options.Events.MapEventType<ConsentRecorded>("consent_recorded");
                options.Events.MapEventType<ConsentOverridden>("consent_overridden");
                options.Events.MapEventType<ReferralSent>("referral_sent");
                options.Events.MapEventType<ReferralAcknowledged>("referral_acknowledged");
                options.Events.MapEventType<ReferralPutOnHold>("referral_put_on_hold");
                options.Events.MapEventType<ReferralResumed>("referral_resumed");
                options.Events.MapEventType<ReferralAccepted>("referral_accepted");
                options.Events.MapEventType<ReferralDeclined>("referral_declined");
                options.Events.MapEventType<ReferralRedirected>("referral_redirected");
                options.Events.MapEventType<FirstContactRecorded>("first_contact_recorded");
                options.Events.MapEventType<ReferralCompleted>("referral_completed");
                options.Events.MapEventType<ReferralResent>("referral_resent");
                options.Events.MapEventType<ReferralWithdrawn>("referral_withdrawn");
                options.Events.MapEventType<ReferralExpired>("referral_expired");
                options.Events.MapEventType<ReferralOverdue>("referral_overdue");
                options.Events.MapEventType<ReferralEnteredInError>("referral_entered_in_error");
                options.Events.MapEventType<ReferralMessagePosted>("referral_message_posted");
                options.Events.MapEventType<ReferralMessagesRead>("referral_messages_read");
                options.Events.MapEventType<Auditing.ReferralAuditStarted>("referral_audit_started");
                options.Events.MapEventType<Auditing.ReferralDataRead>("referral_data_read");
                options.Events.MapEventType<Auditing.ReferralListRead>("referral_list_read");
                options.Events.MapEventType<PersonalDataErased>("personal_data_erased");
                options.Events.MapEventType<ReferralArchived>("referral_archived");
                options.Events.MapEventType<Auditing.ArchivedReferralRead>("archived_referral_read");
                options.AddDirectoryView();

                // The persons' keys: their own table in their own schema, so that backups can treat them apart (docs/privacy.md).
                options.Schema.For<Privacy.PersonalDataKey>().DatabaseSchemaName(Privacy.PersonalData.KeySchema);

                options.Projections.Add(new ReferralStateProjection(), ProjectionLifecycle.Live);
                options.Projections.Add(new ReferralDetailsProjection(), ProjectionLifecycle.Inline);
                // Inbox and "sent" lists filter and sort on these: real columns with b-tree indexes,
                // not JSON expressions evaluated row by row.
                options.Schema.For<ReferralDetails>()
                    .Duplicate(r => r.ReceiverOrganisationId)
                    .Duplicate(r => r.SenderOrganisationId)
                    .Duplicate(r => r.Status)
                    .Duplicate(r => r.AcknowledgeBy)
                    .Duplicate(r => r.CreatedAt)
                    // Keyset paging (ListingReferrals): the sort keys and the chain's and the search's lookups.
                    .Duplicate(r => r.SortDeadline)
                    .Duplicate(r => r.LastChangedAt)
                    .Duplicate(r => r.DataSubjectId)
                    .Duplicate(r => r.ReferenceDigest);
            })
            .PublishIntegrationEvents<ReferralContractsMapper>();

        builder.AddPersonKeyWrapping();
        builder.Services.Configure<DeadlineOptions>(builder.Configuration.GetSection("Referrals:Deadlines"));
        builder.Services.Configure<ReferralOptions>(builder.Configuration.GetSection("Referrals"));
        builder.Services.AddSingleton(sp => new DeadlinePolicy(sp.GetRequiredService<IOptions<DeadlineOptions>>().Value));
        builder.Services.AddSingleton<DeadlineWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineWatcher>());
        builder.Services.Configure<Archiving.RetentionOptions>(builder.Configuration.GetSection("Privacy:Retention"));
        builder.Services.AddSingleton<Archiving.RetentionWatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Archiving.RetentionWatcher>());
        // One message at a time: the Directory's events are few, and the inline KnownOrganisation view must never race.
        builder.AddMessaging(serviceName: "referrals", bus => bus.AddConsumer<DirectoryEventsConsumer>(), concurrentMessageLimit: 1);
        return builder;
    }
}
