using Coordination.Referrals;
using Coordination.Referrals.Archiving;
using Coordination.Referrals.Privacy;
using Xunit;

namespace Coordination.Referrals.Tests;

public class PersonalDataTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 22, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sealed_value_reads_back_with_the_persons_key_and_never_twice_the_same()
    {
        var key = PersonalData.NewKey(Guid.NewGuid(), T0);
        var first = PersonalData.Seal(key, "Nadia");
        var second = PersonalData.Seal(key, "Nadia");

        Assert.NotEqual(first, second); // a fresh nonce each time
        Assert.DoesNotContain("Nadia", first);
        Assert.Equal(key.Id, PersonalData.SubjectOf(first));
        Assert.Equal("Nadia", PersonalData.Reveal(first, new Dictionary<Guid, PersonalDataKey> { [key.Id] = key }));
    }

    [Fact]
    public void Without_the_key_or_with_another_persons_key_it_reads_erased()
    {
        var key = PersonalData.NewKey(Guid.NewGuid(), T0);
        var other = PersonalData.NewKey(Guid.NewGuid(), T0);
        var sealedValue = PersonalData.Seal(key, "06 12 34 56 78");

        Assert.Equal(PersonalData.Erased, PersonalData.Reveal(sealedValue, new Dictionary<Guid, PersonalDataKey>()));
        // Moved to another person's envelope: the associated data (person id) no longer matches.
        var moved = sealedValue.Replace(key.Id.ToString("N"), other.Id.ToString("N"));
        Assert.Equal(PersonalData.Erased, PersonalData.Reveal(moved, new Dictionary<Guid, PersonalDataKey> { [other.Id] = other with { Key = key.Key } }));
    }

    [Fact]
    public void Erasing_tells_the_dashboard_no_more_than_that_it_happened_and_archiving_publishes_nothing()
    {
        var published = new Coordination.Referrals.Publishing.ReferralContractsMapper().PublishedEventTypes;

        Assert.Contains(typeof(PersonalDataErased), published);
        Assert.DoesNotContain(typeof(ReferralArchived), published);
        // Not the ground, the justification or who asked: what every referral contract carries, nothing more.
        Assert.Equal(
            ["Departement", "OccurredAt", "ReceiverOrganisationId", "ReferralId", "SenderOrganisationId", "SourceStreamId", "SourceVersion", "Urgency"],
            typeof(Coordination.Contracts.Referrals.ReferralPersonalDataErased).GetProperties().Select(property => property.Name).Order());
    }

    [Fact]
    public void Values_from_before_encryption_pass_through()
    {
        Assert.Equal("Nadia", PersonalData.Reveal("Nadia", new Dictionary<Guid, PersonalDataKey>()));
        Assert.Null(PersonalData.Reveal(null, new Dictionary<Guid, PersonalDataKey>()));
    }
}

public class RetentionDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 22, 0, 0, TimeSpan.Zero);

    private static Referral Case(ReferralStatus status, DateTimeOffset lastActivity, bool archived = false, bool erased = false) =>
        new(Guid.NewGuid(), status, Guid.NewGuid(), Guid.NewGuid(), "93", Urgency.Standard, true, false, T0, null, null, false, [],
            null, lastActivity, archived, erased);

    [Fact]
    public void An_ended_case_is_archived_once_after_the_delay_an_open_one_never()
    {
        var command = new ArchiveIfDormant(T0.AddDays(181), TimeSpan.FromDays(180));

        Assert.Single(RetentionDecisions.Decide(command, Case(ReferralStatus.Completed, T0)));
        Assert.Empty(RetentionDecisions.Decide(command, Case(ReferralStatus.Completed, T0.AddDays(2))));
        Assert.Empty(RetentionDecisions.Decide(command, Case(ReferralStatus.InProgress, T0)));
        Assert.Empty(RetentionDecisions.Decide(command, Case(ReferralStatus.Completed, T0, archived: true)));
    }

    [Fact]
    public void A_person_is_anonymised_only_when_all_their_referrals_are_dormant()
    {
        var command = new AnonymiseIfDormant(T0.AddDays(731), TimeSpan.FromDays(730));

        Assert.NotNull(RetentionDecisions.Decide(command, [Case(ReferralStatus.Redirected, T0), Case(ReferralStatus.InProgress, T0)]));
        Assert.Null(RetentionDecisions.Decide(command, [Case(ReferralStatus.Redirected, T0), Case(ReferralStatus.InProgress, T0.AddDays(10))]));
        Assert.Null(RetentionDecisions.Decide(command, [Case(ReferralStatus.Completed, T0, erased: true)]));
        Assert.Equal(ErasureGround.RetentionPeriodEnded, RetentionDecisions.Decide(command, [Case(ReferralStatus.Completed, T0)])!.Ground);
    }

    [Fact]
    public void The_retention_clock_follows_the_people_not_the_server()
    {
        var state = ReferralEvolution.Evolve(null, new ReferralDrafted(Guid.NewGuid(), new Party("u", Guid.NewGuid()), Guid.NewGuid(), "93",
            new PersonDetails("P-1", null, null, AgeBand.From26To40, false), SituationCategory.Assault, [], Urgency.Standard, null, null, T0));
        state = ReferralEvolution.Evolve(state, new ReferralSent(state!.Id, T0.AddDays(5), T0.AddDays(30), new Party("u", Guid.NewGuid()), T0.AddHours(1)));
        state = ReferralEvolution.Evolve(state, new ReferralExpired(state!.Id, T0.AddDays(30)));

        Assert.Equal(T0.AddHours(1), state!.LastActivityAt);
    }
}
