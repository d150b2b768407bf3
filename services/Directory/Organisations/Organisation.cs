using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Coordination.Directory.Organisations;

public enum OrganisationKind { VictimSupportAssociation, IscgPost, Partner }

/// <summary>Where an ISCG is posted.</summary>
public enum IscgPostSetting { Police, Gendarmerie, Mixed }

/// <summary>Who employs the ISCG (and usually co-funds the post).</summary>
public enum IscgEmployer { VictimSupportAssociation, Departement, Commune, Other }

public sealed record IscgPostDetails(IscgPostSetting Setting, IscgEmployer Employer, string? EmployerName);

/// <summary>The organisation's public contact details (never a person's).</summary>
public sealed record OrganisationContact(string? Phone, string? Email, string? Address, string? PostalCode, string? City);

public abstract record OrganisationEvent(Guid OrganisationId);

public sealed record OrganisationRegistered(
    Guid OrganisationId, string Name, OrganisationKind Kind, IscgPostDetails? IscgPost, string? PartnerNetwork,
    OrganisationContact Contact, IReadOnlyList<string> Departements, IReadOnlyList<string> Needs, bool AcceptsReferrals,
    string RegisteredBy, DateTimeOffset RegisteredAt) : OrganisationEvent(OrganisationId);

public sealed record OrganisationDetailsUpdated(
    Guid OrganisationId, string Name, IscgPostDetails? IscgPost, string? PartnerNetwork, OrganisationContact Contact,
    string UpdatedBy, DateTimeOffset UpdatedAt) : OrganisationEvent(OrganisationId);

public sealed record OrganisationCoverageChanged(
    Guid OrganisationId, IReadOnlyList<string> Departements, IReadOnlyList<string> Needs,
    string ChangedBy, DateTimeOffset ChangedAt) : OrganisationEvent(OrganisationId);

public sealed record OrganisationReferralCapacityChanged(
    Guid OrganisationId, bool AcceptsReferrals, string? Note,
    string ChangedBy, DateTimeOffset ChangedAt) : OrganisationEvent(OrganisationId);

public sealed record OrganisationDeactivated(
    Guid OrganisationId, string Reason, string DeactivatedBy, DateTimeOffset DeactivatedAt) : OrganisationEvent(OrganisationId);

/// <summary>The write-side state: only what the decisions need.</summary>
public sealed record Organisation(
    Guid Id, OrganisationKind Kind, string Name, IscgPostDetails? IscgPost, string? PartnerNetwork, OrganisationContact Contact,
    IReadOnlyList<string> Departements, IReadOnlyList<string> Needs, bool AcceptsReferrals, string? CapacityNote, bool Active)
{
    public void EnsureActive()
    {
        if (!Active)
            throw new Coordination.ServiceDefaults.Http.BusinessRuleViolation("Cette organisation est désactivée : elle ne peut plus être modifiée.");
    }
}

/// <summary>
/// The pure evolution of <see cref="Organisation"/>. Kept outside the record: Marten's source generator
/// treats an <c>Evolve</c> method on the aggregate itself as one of its own conventions.
/// </summary>
public static class OrganisationEvolution
{
    public static Organisation? Evolve(Organisation? state, OrganisationEvent @event) => (state, @event) switch
    {
        (null, OrganisationRegistered e) => new Organisation(e.OrganisationId, e.Kind, e.Name, e.IscgPost, e.PartnerNetwork,
            e.Contact, e.Departements, e.Needs, e.AcceptsReferrals, CapacityNote: null, Active: true),
        (null, _) => null,
        (_, OrganisationDetailsUpdated e) => state with { Name = e.Name, IscgPost = e.IscgPost, PartnerNetwork = e.PartnerNetwork, Contact = e.Contact },
        (_, OrganisationCoverageChanged e) => state with { Departements = e.Departements, Needs = e.Needs },
        (_, OrganisationReferralCapacityChanged e) => state with { AcceptsReferrals = e.AcceptsReferrals, CapacityNote = e.Note },
        (_, OrganisationDeactivated) => state with { Active = false, AcceptsReferrals = false },
        _ => state,
    };
}

/// <summary>Lets Marten rebuild <see cref="Organisation"/> from its stream (live, for FetchForWriting) with the pure Evolve.</summary>
public sealed partial class OrganisationStateProjection : SingleStreamProjection<Organisation, Guid>
{
    public override Organisation? Evolve(Organisation? snapshot, Guid id, IEvent e) =>
        e.Data is OrganisationEvent @event ? OrganisationEvolution.Evolve(snapshot, @event) : snapshot;
}
