using Coordination.Referrals.Privacy;
using Coordination.ServiceDefaults.Security;

namespace Coordination.Referrals.GettingDetails;

public enum Viewer { Sender, Receiver, Support }

public sealed record PersonView(string PseudonymousReference, string? FirstName, ContactChannel? Contact, AgeBand AgeBand, bool MinorsInvolved);

public sealed record MessageView(Guid Id, string Text, bool FromMyOrganisation, DateTimeOffset At, bool ReadByOtherParty);

/// <summary>A referral as one caller may see it: the receiver only what the person agreed to share, and no
/// identity once the referral ended without them (declined, redirected, withdrawn…); support staff only metadata.</summary>
public sealed record ReferralView(
    Guid Id, ReferralStatus Status, Viewer Viewer, Guid SenderOrganisationId, Guid ReceiverOrganisationId, string Departement,
    Urgency Urgency, PersonView Person, SituationCategory? Situation, string[]? Needs, string? Note,
    ConsentMethod? ConsentMethod, SharingScope? ConsentScope, bool ConsentOverridden, string? ConsentOverrideJustification,
    Guid? RedirectedFrom, Guid? RedirectedTo, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? AcknowledgeBy,
    DateTimeOffset? ExpiresAt, bool Overdue, DateTimeOffset? AcknowledgedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? FirstContactAt,
    Outcome? Outcome, string? OutcomeNote, DeclineDetails? Decline, string? StatusReason, IReadOnlyList<MessageView>? Messages,
    int UnreadMessages, long Version, DateTimeOffset? PersonalDataErasedAt = null, DateTimeOffset? ArchivedAt = null)
{
    /// <summary>Statuses after which the receiver no longer needs (so no longer sees) who the person is.</summary>
    private static readonly ReferralStatus[] EndedWithoutReceiver =
        [ReferralStatus.Declined, ReferralStatus.Redirected, ReferralStatus.Withdrawn, ReferralStatus.Expired, ReferralStatus.EnteredInError];

    /// <summary>The viewer's relation to the referral, or null when it must stay invisible (404).</summary>
    public static Viewer? RelationOf(ReferralDetails referral, CurrentUser user)
    {
        if (user.OrganisationId == referral.SenderOrganisationId && Roles.OrganisationStaff.Contains(user.Role)) return Viewer.Sender;
        if (user.OrganisationId == referral.ReceiverOrganisationId && Roles.OrganisationStaff.Contains(user.Role)) return Viewer.Receiver;
        if (user.Role == Roles.Admin) return Viewer.Support;
        return null;
    }

    /// <param name="keys">The person's key, to unseal the personal fields (stored sealed); without it they read "[effacé]".
    /// Values from before encryption pass through.</param>
    public static ReferralView For(ReferralDetails r, Viewer viewer, KeyRing? keys = null)
    {
        var clear = keys ?? KeyRing.None;
        var scope = r.Consent?.Scope ?? new SharingScope(true, true, true); // an override shares what the sender judged necessary
        var seesIdentity = viewer == Viewer.Sender || (viewer == Viewer.Receiver && scope.Identity && !EndedWithoutReceiver.Contains(r.Status));
        var seesSituation = viewer == Viewer.Sender || (viewer == Viewer.Receiver && scope.Situation);
        var seesNeeds = viewer != Viewer.Support && (viewer == Viewer.Sender || scope.Needs);
        var myOrganisation = viewer == Viewer.Sender ? r.SenderOrganisationId : r.ReceiverOrganisationId;
        var readByMe = viewer == Viewer.Sender ? r.ReadBySender : r.ReadByReceiver;
        var readByOther = viewer == Viewer.Sender ? r.ReadByReceiver : r.ReadBySender;

        var reference = clear.Reveal(r.Person.PseudonymousReference)!;
        var person = seesIdentity
            ? new PersonView(reference, clear.Reveal(r.Person.FirstName),
                r.Person.Contact is { } contact ? contact with { Value = clear.Reveal(contact.Value) } : null, r.Person.AgeBand, r.Person.MinorsInvolved)
            : new PersonView(reference, null, null, r.Person.AgeBand, r.Person.MinorsInvolved);
        var messages = viewer == Viewer.Support
            ? null
            : r.Messages.Select((m, i) => new MessageView(m.Id, clear.Reveal(m.Text)!, m.FromOrganisationId == myOrganisation, m.At, i < readByOther)).ToList();
        var unread = viewer == Viewer.Support ? 0 : r.Messages.Skip(readByMe).Count(m => m.FromOrganisationId != myOrganisation);

        return new ReferralView(r.Id, r.Status, viewer, r.SenderOrganisationId, r.ReceiverOrganisationId, r.Departement, r.Urgency,
            person, seesSituation ? r.Situation : null, seesNeeds ? r.Needs : null, seesSituation && viewer != Viewer.Support ? clear.Reveal(r.Note) : null,
            r.Consent?.Method, r.Consent?.Scope, r.ConsentOverridden, viewer == Viewer.Sender ? clear.Reveal(r.ConsentOverride?.Justification) : null,
            r.RedirectedFrom, viewer == Viewer.Receiver ? null : r.RedirectedTo, r.CreatedAt, r.SentAt, r.AcknowledgeBy, r.ExpiresAt, r.Overdue,
            r.AcknowledgedAt, r.AcceptedAt, r.FirstContactAt, r.Outcome, viewer == Viewer.Support ? null : clear.Reveal(r.OutcomeNote),
            r.Decline is { } decline ? decline with { Message = viewer == Viewer.Support ? "" : clear.Reveal(decline.Message)! } : null,
            viewer == Viewer.Support ? null : clear.Reveal(r.StatusReason), messages, unread, r.Version, r.ErasedAt, r.ArchivedAt);
    }
}
