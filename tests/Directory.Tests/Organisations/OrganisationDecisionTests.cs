using Coordination.Directory.Organisations;
using Coordination.Directory.Organisations.ChangingCoverage;
using Coordination.Directory.Organisations.ChangingReferralCapacity;
using Coordination.Directory.Organisations.Deactivating;
using Coordination.Directory.Organisations.Registering;
using Coordination.Directory.Organisations.UpdatingDetails;
using Coordination.ServiceDefaults.Http;
using Xunit;

namespace Coordination.Directory.Tests.Organisations;

/// <summary>Given events / When a command / Then events or a refusal — pure, no infrastructure.</summary>
public class OrganisationDecisionTests
{
    private static readonly Guid Id = Guid.Parse("0193c0de-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 14, 0, 0, TimeSpan.Zero);
    private static readonly OrganisationContact NoContact = new(null, null, null, null, null);

    private static OrganisationRegistered Registered(bool accepts = true) => RegisterOrganisationEndpoint.Decide(new RegisterOrganisation(
        Id, "France Victimes 93 - SOS Victimes", OrganisationKind.VictimSupportAssociation, null, null, NoContact,
        ["93"], ["famille--surmonter-conflits-separation-violence"], accepts, "coord-1", Now));

    private static Organisation Given(params OrganisationEvent[] events) =>
        events.Aggregate((Organisation?)null, OrganisationEvolution.Evolve)!;

    [Fact]
    public void Registering_records_every_field_and_starts_active()
    {
        var registered = Registered();
        var state = Given(registered);

        Assert.Equal(Id, registered.OrganisationId);
        Assert.Equal("coord-1", registered.RegisteredBy);
        Assert.Equal(Now, registered.RegisteredAt);
        Assert.True(state.Active);
        Assert.True(state.AcceptsReferrals);
        Assert.Equal(["93"], state.Departements);
    }

    [Fact]
    public void Changing_coverage_emits_the_new_coverage()
    {
        var events = ChangeCoverageEndpoint.Decide(
            new ChangeCoverage(Id, ["93", "94"], ["famille--surmonter-conflits-separation-violence"], "staff-1", Now), Given(Registered()));

        var changed = Assert.IsType<OrganisationCoverageChanged>(Assert.Single(events));
        Assert.Equal(["93", "94"], changed.Departements);
        Assert.Equal(["93", "94"], Given(Registered(), changed).Departements);
    }

    [Fact]
    public void Changing_coverage_to_what_it_already_is_changes_nothing()
    {
        var events = ChangeCoverageEndpoint.Decide(
            new ChangeCoverage(Id, ["93"], ["famille--surmonter-conflits-separation-violence"], "staff-1", Now), Given(Registered()));

        Assert.Empty(events);
    }

    [Fact]
    public void Closing_to_referrals_is_recorded_with_its_note()
    {
        var events = ChangeReferralCapacityEndpoint.Decide(
            new ChangeReferralCapacity(Id, false, "Liste d'attente jusqu'au 15/01", "staff-1", Now), Given(Registered()));

        var changed = Assert.IsType<OrganisationReferralCapacityChanged>(Assert.Single(events));
        var state = Given(Registered(), changed);
        Assert.False(state.AcceptsReferrals);
        Assert.Equal("Liste d'attente jusqu'au 15/01", state.CapacityNote);
    }

    [Fact]
    public void Deactivating_stops_referrals_and_a_second_deactivation_is_refused()
    {
        var deactivated = Assert.Single(DeactivateOrganisationEndpoint.Decide(
            new DeactivateOrganisation(Id, "Fusion avec une autre association", "coord-1", Now), Given(Registered())));
        var state = Given(Registered(), (OrganisationEvent)deactivated);

        Assert.False(state.Active);
        Assert.False(state.AcceptsReferrals);
        var refusal = Assert.Throws<BusinessRuleViolation>(() => DeactivateOrganisationEndpoint.Decide(
            new DeactivateOrganisation(Id, "encore", "coord-1", Now), state));
        Assert.Contains("déjà désactivée", refusal.Message);
    }

    [Fact]
    public void A_deactivated_organisation_cannot_be_changed()
    {
        var state = Given(Registered(), new OrganisationDeactivated(Id, "Fermeture", "coord-1", Now));

        Assert.Throws<BusinessRuleViolation>(() => ChangeCoverageEndpoint.Decide(
            new ChangeCoverage(Id, ["75"], ["sante--sante-mentale"], "staff-1", Now), state));
        Assert.Throws<BusinessRuleViolation>(() => ChangeReferralCapacityEndpoint.Decide(
            new ChangeReferralCapacity(Id, true, null, "staff-1", Now), state));
        Assert.Throws<BusinessRuleViolation>(() => UpdateOrganisationDetailsEndpoint.Decide(
            new UpdateOrganisationDetails(Id, "Nouveau nom", null, null, NoContact, "staff-1", Now), state));
    }

    [Fact]
    public void Updating_details_replaces_name_and_contact()
    {
        var contact = new OrganisationContact("01 41 00 00 00", "accueil@example.org", null, "93000", "Bobigny");
        var updated = Assert.IsType<OrganisationDetailsUpdated>(Assert.Single(UpdateOrganisationDetailsEndpoint.Decide(
            new UpdateOrganisationDetails(Id, "SOS Victimes 93", null, null, contact, "staff-1", Now), Given(Registered()))));

        var state = Given(Registered(), updated);
        Assert.Equal("SOS Victimes 93", state.Name);
        Assert.Equal(contact, state.Contact);
    }

    [Fact]
    public void Events_before_registration_build_nothing()
    {
        Assert.Null(OrganisationEvolution.Evolve(null, new OrganisationDeactivated(Id, "x", "u", Now)));
    }
}
