using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Directory.Aids;

/// <summary>What the aid gives: money (grant, loan, allowance, compensation), a service paid for, or goods.</summary>
public enum AidKind { Grant, Loan, Allowance, Compensation, ServicePayment, InKind }

/// <summary>National (everywhere in France) or local (listed départements, optionally some communes).</summary>
public enum AidScope { National, Local }

/// <summary>The situations an aid targets: the same codes as a referral's situation.</summary>
public enum AidSituation { IntrafamilyViolence, SexualViolence, Assault, PropertyOffence, RoadAccident, OtherNonPenal }

public enum AidStatus { Proposed, Published, Rejected, Withdrawn }

/// <summary>Who grants the aid: an organisation of the Directory, or a named body (the CAF, the département, the FGTI…).</summary>
public sealed record AidGrantor(Guid? OrganisationId, string Name);

/// <summary>Amount or range when public, in euros; a note for what a range cannot say ("selon ressources").</summary>
public sealed record AidAmount(decimal? Min, decimal? Max, string? Note);

/// <summary>Everything a professional reads about an aid; replaced as a whole by an accepted correction.</summary>
public sealed record AidContent(
    string Name, AidKind Kind, AidGrantor Grantor, AidScope Scope, IReadOnlyList<string> Departements, IReadOnlyList<string> Communes,
    IReadOnlyList<string> Needs, IReadOnlyList<AidSituation> Situations, string Eligibility, string HowToApply, string? DocumentsToBring,
    string? TypicalDelay, AidAmount Amount, string SourceUrl, DateOnly? AvailableFrom, DateOnly? AvailableUntil)
{
    /// <summary>Whether the aid applies in a département: national ones everywhere, local ones where listed.</summary>
    public bool AppliesIn(string departement) => Scope == AidScope.National || Departements.Contains(departement);

    /// <summary>Same facts (record equality would compare the lists by reference).</summary>
    public bool SameAs(AidContent other) =>
        Name == other.Name && Kind == other.Kind && Grantor == other.Grantor && Scope == other.Scope
        && Departements.SequenceEqual(other.Departements) && Communes.SequenceEqual(other.Communes)
        && Needs.SequenceEqual(other.Needs) && Situations.SequenceEqual(other.Situations)
        && Eligibility == other.Eligibility && HowToApply == other.HowToApply && DocumentsToBring == other.DocumentsToBring
        && TypicalDelay == other.TypicalDelay && Amount == other.Amount && SourceUrl == other.SourceUrl
        && AvailableFrom == other.AvailableFrom && AvailableUntil == other.AvailableUntil;
}

public abstract record AidEvent(Guid AidId);

/// <summary>Someone proposed a new aid; a moderator publishes it (or a moderator's own proposal is published at once).</summary>
public sealed record AidProposed(Guid AidId, AidContent Content, string ProposedBy, DateTimeOffset ProposedAt) : AidEvent(AidId);

public sealed record AidPublished(Guid AidId, string PublishedBy, DateTimeOffset PublishedAt) : AidEvent(AidId);

public sealed record AidProposalRejected(Guid AidId, string Reason, string RejectedBy, DateTimeOffset RejectedAt) : AidEvent(AidId);

/// <summary>A moderator checked the aid against its source: it is accurate as of this date.</summary>
public sealed record AidVerified(Guid AidId, string VerifiedBy, DateTimeOffset VerifiedAt) : AidEvent(AidId);

public sealed record AidCorrectionProposed(
    Guid AidId, Guid CorrectionId, AidContent Content, string? Comment, string ProposedBy, DateTimeOffset ProposedAt) : AidEvent(AidId);

public sealed record AidCorrectionAccepted(Guid AidId, Guid CorrectionId, AidContent Content, string AcceptedBy, DateTimeOffset AcceptedAt) : AidEvent(AidId);

public sealed record AidCorrectionRejected(Guid AidId, Guid CorrectionId, string Reason, string RejectedBy, DateTimeOffset RejectedAt) : AidEvent(AidId);

/// <summary>A moderator changed the content directly (a coordinators' CSV import).</summary>
public sealed record AidEdited(Guid AidId, AidContent Content, string EditedBy, DateTimeOffset EditedAt) : AidEvent(AidId);

public sealed record AidWithdrawn(Guid AidId, string Reason, string WithdrawnBy, DateTimeOffset WithdrawnAt) : AidEvent(AidId);

public sealed record PendingCorrection(Guid CorrectionId, AidContent Content, string? Comment, string ProposedBy, DateTimeOffset ProposedAt);

/// <summary>The write-side state of an aid: what the moderation rules need.</summary>
public sealed record Aid(
    Guid Id, AidContent Content, AidStatus Status, DateTimeOffset? LastVerifiedAt, string? LastVerifiedBy,
    IReadOnlyList<PendingCorrection> PendingCorrections)
{
    /// <summary>An aid not verified for this long is flagged "à vérifier".</summary>
    public static readonly TimeSpan VerificationValidity = TimeSpan.FromDays(365);

    public static bool IsStale(AidStatus status, DateTimeOffset? lastVerifiedAt, DateTimeOffset now) =>
        status == AidStatus.Published && (lastVerifiedAt is null || lastVerifiedAt < now - VerificationValidity);

    public void EnsurePublished()
    {
        switch (Status)
        {
            case AidStatus.Proposed: throw new BusinessRuleViolation("Cette aide n'est encore qu'une proposition : validez-la d'abord.");
            case AidStatus.Rejected: throw new BusinessRuleViolation("Cette proposition d'aide a été refusée.");
            case AidStatus.Withdrawn: throw new BusinessRuleViolation("Cette aide a été retirée du guide : elle ne peut plus être modifiée.");
        }
    }
}

/// <summary>The pure evolution of <see cref="Aid"/> (outside the record: see <c>OrganisationEvolution</c>).</summary>
public static class AidEvolution
{
    public static Aid? Evolve(Aid? state, AidEvent @event) => (state, @event) switch
    {
        (null, AidProposed e) => new Aid(e.AidId, e.Content, AidStatus.Proposed, null, null, []),
        (null, _) => null,
        (_, AidPublished) => state with { Status = AidStatus.Published },
        (_, AidProposalRejected) => state with { Status = AidStatus.Rejected },
        (_, AidVerified e) => state with { LastVerifiedAt = e.VerifiedAt, LastVerifiedBy = e.VerifiedBy },
        (_, AidCorrectionProposed e) => state with
        {
            PendingCorrections = [.. state.PendingCorrections, new PendingCorrection(e.CorrectionId, e.Content, e.Comment, e.ProposedBy, e.ProposedAt)],
        },
        (_, AidCorrectionAccepted e) => state with
        {
            Content = e.Content,
            PendingCorrections = [.. state.PendingCorrections.Where(c => c.CorrectionId != e.CorrectionId)],
        },
        (_, AidCorrectionRejected e) => state with
        {
            PendingCorrections = [.. state.PendingCorrections.Where(c => c.CorrectionId != e.CorrectionId)],
        },
        (_, AidEdited e) => state with { Content = e.Content },
        (_, AidWithdrawn) => state with { Status = AidStatus.Withdrawn, PendingCorrections = [] },
        _ => state,
    };
}

/// <summary>Lets Marten rebuild <see cref="Aid"/> from its stream (live, for FetchForWriting) with the pure Evolve.</summary>
public sealed partial class AidStateProjection : SingleStreamProjection<Aid, Guid>
{
    public override Aid? Evolve(Aid? snapshot, Guid id, IEvent e) =>
        e.Data is AidEvent @event ? AidEvolution.Evolve(snapshot, @event) : snapshot;
}
