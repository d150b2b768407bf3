using System.Text.Json.Serialization;
using Coordination.Referrals.Privacy;

namespace Coordination.Referrals.GettingDetails;

/// <summary>
/// The caller's relation to one hop of a person's path. <see cref="Collector"/>: the organisation that met the person
/// and recorded consent (it sent the first hop and follows every later one); <see cref="Redirector"/>: a receiver that
/// forwarded the person and so sent this hop; <see cref="Receiver"/>: this hop's receiver; <see cref="Support"/>: admins.
/// </summary>
public enum Viewer { Collector, Receiver, Redirector, Support }

public sealed record PersonView(string PseudonymousReference, string? FirstName, ContactChannel? Contact, AgeBand AgeBand, bool MinorsInvolved);

public sealed record MessageView(Guid Id, string Text, bool FromMyOrganisation, DateTimeOffset At, bool ReadByOtherParty);

/// <summary>
/// A referral as one caller may see it: the receiver only what the person agreed to share, and no identity once the
/// referral ended without them (declined, redirected, withdrawn…); a redirector no more than it saw as a receiver;
/// support staff only metadata. <see cref="AllowedActions"/>: the commands the caller may give now (their route names).
/// <see cref="Chain"/>: for the collector, every hop of the person's path.
/// </summary>
public sealed record ReferralView(
    Guid Id, [property: JsonConverter(typeof(ReferralStatusCode))] ReferralStatus Status, Viewer Viewer, Guid SenderOrganisationId,
    Guid ReceiverOrganisationId, Guid CollectorOrganisationId, string Departement,
    Urgency Urgency, PersonView Person, SituationCategory? Situation, string[]? Needs, string? Note,
    ConsentMethod? ConsentMethod, SharingScope? ConsentScope, bool ConsentOverridden, string? ConsentOverrideJustification,
    bool ConsentCoversAnyReceiver, Guid? RedirectedFrom, Guid? RedirectedTo, Guid? ResentFrom, Guid? ResentTo,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? ExpiresAt, bool Overdue, DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt,
    Outcome? Outcome, string? OutcomeNote, DeclineDetails? Decline, string? StatusReason, IReadOnlyList<MessageView>? Messages,
    int UnreadMessages, long Version, DateTimeOffset? PersonalDataErasedAt = null, DateTimeOffset? ArchivedAt = null,
    IReadOnlyList<string>? AllowedActions = null, IReadOnlyList<ChainHop>? Chain = null)
{
    /// <summary>Statuses after which the receiver no longer needs (so no longer sees) who the person is.</summary>
    private static readonly ReferralStatus[] EndedWithoutReceiver =
        [ReferralStatus.Declined, ReferralStatus.Redirected, ReferralStatus.Withdrawn, ReferralStatus.Expired, ReferralStatus.EnteredInError];

    /// <summary>The viewer's relation to the referral, or null when it must stay invisible (404).</summary>
    public static Viewer? RelationOf(ReferralDetails referral, CurrentUser user)
    {
        if (Roles.OrganisationStaff.Contains(user.Role) && user.OrganisationId is { } organisation)
        {
            if (organisation == referral.Collector) return Viewer.Collector;
            if (organisation == referral.ReceiverOrganisationId) return Viewer.Receiver;
            if (organisation == referral.SenderOrganisationId) return Viewer.Redirector;
        }
        if (user.Role == Roles.Admin) return Viewer.Support;
        return null;
    }

    /// <param name="keys">The person's key, to unseal the personal fields (stored sealed); without it they read "[effacé]".
    /// Values from before encryption pass through.</param>
    public static ReferralView For(ReferralDetails r, Viewer viewer, KeyRing? keys = null)
    {
        var clear = keys ?? KeyRing.None;
        var scope = r.Consent?.Scope ?? new SharingScope(true, true, true); // an override shares what the sender judged necessary
        // A redirector forwarded the person and its own hop ended "redirected": like any receiver whose hop ended, it no
        // longer sees who the person is, on the hop it created either.
        var seesIdentity = viewer == Viewer.Collector || (viewer == Viewer.Receiver && scope.Identity && !EndedWithoutReceiver.Contains(r.Status));
        var seesSituation = viewer == Viewer.Collector || (viewer is Viewer.Receiver or Viewer.Redirector && scope.Situation);
        var seesNeeds = viewer != Viewer.Support && (viewer == Viewer.Collector || scope.Needs);
        var party = viewer is Viewer.Receiver or Viewer.Redirector or Viewer.Collector;
        var myOrganisation = viewer == Viewer.Receiver ? r.ReceiverOrganisationId : r.SenderOrganisationId;
        var readByMe = viewer == Viewer.Receiver ? r.ReadByReceiver : r.ReadBySender;
        var readByOther = viewer == Viewer.Receiver ? r.ReadBySender : r.ReadByReceiver;

        var reference = clear.Reveal(r.Person.PseudonymousReference)!;
        var person = seesIdentity
            ? new PersonView(reference, clear.Reveal(r.Person.FirstName),
                r.Person.Contact is { } contact ? contact with { Value = clear.Reveal(contact.Value) } : null, r.Person.AgeBand, r.Person.MinorsInvolved)
            : new PersonView(reference, null, null, r.Person.AgeBand, r.Person.MinorsInvolved);
        var messages = !party
            ? null
            : r.Messages.Select((m, i) => new MessageView(m.Id, clear.Reveal(m.Text)!, m.FromOrganisationId == myOrganisation, m.At, i < readByOther)).ToList();
        var unread = !party ? 0 : r.Messages.Skip(readByMe).Count(m => m.FromOrganisationId != myOrganisation);

        return new ReferralView(r.Id, r.Status, viewer, r.SenderOrganisationId, r.ReceiverOrganisationId, r.Collector, r.Departement, r.Urgency,
            person, seesSituation ? r.Situation : null, seesNeeds ? r.Needs : null, seesSituation && party ? clear.Reveal(r.Note) : null,
            r.Consent?.Method, r.Consent?.Scope, r.ConsentOverridden, viewer == Viewer.Collector ? clear.Reveal(r.ConsentOverride?.Justification) : null,
            r.Consent?.AnyReceiver ?? false, r.RedirectedFrom, viewer == Viewer.Receiver ? null : r.RedirectedTo,
            viewer == Viewer.Collector ? r.ResentFrom : null, viewer == Viewer.Collector ? r.ResentTo : null,
            r.CreatedAt, r.SentAt, r.AcknowledgeBy, r.ExpiresAt, r.Overdue,
            r.AcknowledgedAt, r.AcceptedAt, r.FirstContactAt, r.Outcome, party ? clear.Reveal(r.OutcomeNote) : null,
            r.Decline is { } decline ? decline with { Message = party ? clear.Reveal(decline.Message)! : "" } : null,
            party ? clear.Reveal(r.StatusReason) : null, messages, unread, r.Version, r.ErasedAt, r.ArchivedAt);
    }
}
