using Coordination.Contracts;
using Coordination.Contracts.Projects;
using Coordination.Contracts.Referrals;
using Coordination.Contracts.Training;

namespace Coordination.Notifications.Rules;

/// <summary>Who is to be told, as groups of an organisation (resolved to people by <see cref="Recipients"/>).</summary>
public abstract record Audience
{
    /// <summary>The organisation's on-call people now; if it has no rota (or nobody is on call now), all its active staff.</summary>
    public sealed record OnCallOrElseStaff(Guid OrganisationId) : Audience;
    public sealed record Staff(Guid OrganisationId) : Audience;
    public sealed record Managers(Guid OrganisationId) : Audience;
    /// <summary>Named people (account ids), whatever their organisation: a training session's registrants.</summary>
    public sealed record People(IReadOnlyList<string> UserIds) : Audience;
}

/// <summary>
/// One moment worth telling people about: what happened (<paramref name="Kind"/>), about what, to whom. Holds codes and
/// ids only; names of organisations are looked up when the e-mail is written, and nothing about the person ever.
/// </summary>
/// <param name="Kind">referral-sent, referral-overdue, referral-accepted, referral-declined, referral-redirected,
/// referral-expired, referral-completed, referral-message, project-milestone-overdue, support-request-answered,
/// training-cancelled, training-moved, training-promoted, training-reminder.</param>
/// <param name="AtOnce">Declines and expiries: a digest preference is overridden (sent at once); "off" still holds.</param>
public sealed record Alert(
    string Kind, Category Category, IReadOnlyList<Audience> Audiences, AlertSubject Subject, bool AtOnce = false);

/// <summary>
/// What the alert is about: a hand-off (with its organisations, urgency and deadline), a project, or a training session
/// (<paramref name="Deadline"/> is its start; <paramref name="Previous"/> the former start of a moved one).
/// </summary>
public sealed record AlertSubject(
    string Type, Guid Id, Guid? SenderOrganisationId = null, Guid? ReceiverOrganisationId = null, string? Urgency = null,
    DateTimeOffset? Deadline = null, IReadOnlyList<string>? Codes = null, Guid? OtherOrganisationId = null, Guid? RelatedId = null,
    DateTimeOffset? Previous = null);

public static class NotificationRules
{
    public const string Immediate = "immediate";
    public const string Within24Hours = "within-24-hours";

    /// <summary>The rules table (services/Notifications/README.md): which integration event tells whom what. Null: nobody.</summary>
    public static Alert? Decide(IIntegrationEvent message, Func<Guid, Guid?> projectLead) => message switch
    {
        ReferralSent e when e.Urgency is Immediate or Within24Hours => new Alert("referral-sent", Category.UrgentReferral,
            [new Audience.OnCallOrElseStaff(e.ReceiverOrganisationId)], Referral(e, e.AcknowledgeBy, relatedId: e.RedirectedFrom)),
        ReferralSent e => new Alert("referral-sent", Category.ReferralReceived,
            [new Audience.Staff(e.ReceiverOrganisationId)], Referral(e, e.AcknowledgeBy, relatedId: e.RedirectedFrom)),
        ReferralOverdue e => new Alert("referral-overdue", Category.ReferralOverdue,
            [new Audience.Managers(e.ReceiverOrganisationId), new Audience.OnCallOrElseStaff(e.ReceiverOrganisationId),
             new Audience.Staff(e.SenderOrganisationId)], Referral(e, e.Deadline)),
        ReferralAccepted e => ToSender("referral-accepted", e),
        ReferralDeclined e => ToSender("referral-declined", e, atOnce: true, codes: e.Reasons),
        // The collecting organisation is told by the new referral's own ReferralSent (it names the redirection).
        ReferralRedirected e => new Alert("referral-redirected", Category.ReferralAnswered, [new Audience.Staff(e.SenderOrganisationId)],
            Referral(e, null, other: e.NewReceiverOrganisationId, relatedId: e.NewReferralId)),
        ReferralExpired e => ToSender("referral-expired", e, atOnce: true),
        ReferralCompleted e => ToSender("referral-completed", e, codes: [e.Outcome]),
        ReferralMessagePosted e => new Alert("referral-message", Category.ReferralMessage,
            [new Audience.Staff(e.AuthorOrganisationId == e.SenderOrganisationId ? e.ReceiverOrganisationId : e.SenderOrganisationId)],
            Referral(e, null, relatedId: e.MessageId)),
        ProjectMilestoneOverdue e when projectLead(e.ProjectId) is { } lead => new Alert("project-milestone-overdue", Category.Projects,
            [new Audience.Staff(lead)], new AlertSubject("project", e.ProjectId, Deadline: ParisTime.FromParis(e.DueDate.ToDateTime(TimeOnly.MinValue)),
                RelatedId: e.MilestoneId)),
        SupportRequestAnswered e when projectLead(e.ProjectId) is { } lead => new Alert("support-request-answered", Category.Projects,
            [new Audience.Staff(lead)], new AlertSubject("project", e.ProjectId, Codes: [e.Kind], RelatedId: e.RequestId)),
        // Registrants are told at once (a digest preference is overridden; "off" holds): a cancelled or moved session is tomorrow's plan.
        TrainingRegistrantsNotice e when e.Moment is "cancelled" or "moved" or "promoted" or "reminder" => new Alert("training-" + e.Moment,
            Category.Training, [new Audience.People(e.UserIds)], new AlertSubject("training-session", e.SessionId, Deadline: e.StartsAt,
                Previous: e.PreviousStartsAt), AtOnce: true),
        _ => null,
    };

    private static Alert ToSender(string kind, IReferralEvent e, bool atOnce = false, IReadOnlyList<string>? codes = null) =>
        new(kind, Category.ReferralAnswered, [new Audience.Staff(e.SenderOrganisationId)], Referral(e, null, codes: codes), atOnce);

    private static AlertSubject Referral(IReferralEvent e, DateTimeOffset? deadline, IReadOnlyList<string>? codes = null,
        Guid? other = null, Guid? relatedId = null) =>
        new("referral", e.ReferralId, e.SenderOrganisationId, e.ReceiverOrganisationId, e.Urgency, deadline, codes, other, relatedId);
}
