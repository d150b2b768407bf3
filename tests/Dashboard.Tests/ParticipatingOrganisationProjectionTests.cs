using Coordination.Contracts.Directory;
using Coordination.Dashboard.Organisations;
using JasperFx.Events;
using Xunit;

namespace Coordination.Dashboard.Tests;

public class ParticipatingOrganisationProjectionTests
{
    private static readonly Guid Id = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private static readonly OrganisationRegistered Registered =
        new(Id, OrganisationKinds.Partner, "ccas-cias", null, ["93"], ["sante--sante-mentale"], true, 1, T0);
    private static readonly OrganisationCoverageChanged MovedTo94And95 =
        new(Id, ["94", "95"], ["sante--sante-mentale"], 2, T0.AddHours(1));
    private static readonly OrganisationReferralCapacityChanged Closed = new(Id, false, 3, T0.AddHours(2));

    private static ParticipatingOrganisation? Project(params object[] events)
    {
        var projection = new ParticipatingOrganisationProjection();
        return events.Aggregate((ParticipatingOrganisation?)null, (state, e) =>
            projection.Evolve(state, Id, (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(e.GetType()), e)!));
    }

    [Fact]
    public void In_order_delivery_gives_the_latest_facts()
    {
        var organisation = Project(Registered, MovedTo94And95, Closed)!;

        Assert.Equal(["94", "95"], organisation.Departements);
        Assert.False(organisation.AcceptsReferrals);
        Assert.Equal(T0.AddHours(2), organisation.LastEventAt);
    }

    [Fact]
    public void Every_arrival_order_gives_the_same_result()
    {
        var expected = Project(Registered, MovedTo94And95, Closed)!;
        object[][] orders =
        [
            [Closed, MovedTo94And95, Registered],
            [MovedTo94And95, Registered, Closed],
            [Registered, Closed, MovedTo94And95],
            [Closed, Registered, MovedTo94And95],
        ];
        foreach (var order in orders)
            Assert.Equal(expected with { Departements = [] }, Project(order)! with { Departements = [] });
        foreach (var order in orders)
            Assert.Equal(expected.Departements, Project(order)!.Departements);
    }

    [Fact]
    public void An_organisation_is_not_counted_until_its_registration_arrives()
    {
        var organisation = Project(MovedTo94And95)!;

        Assert.False(organisation.Registered);
        Assert.Null(organisation.Kind);
    }
}
