using Coordination.Referrals;
using Coordination.Referrals.GettingDetails;
using Xunit;

namespace Coordination.Referrals.Tests;

public class ReferralViewTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 22, 0, 0, TimeSpan.Zero);

    private static ReferralDetails Referral(ReferralStatus status, SharingScope scope) => new(
        Guid.NewGuid(), status, Guid.NewGuid(), "iscg-1", Guid.NewGuid(), "93",
        new PersonDetails("P-ABCDEFGH", "Nadia", new ContactChannel(ContactChannelKind.Phone, "06 00 00 00 00"), AgeBand.From26To40, false),
        SituationCategory.IntrafamilyViolence, ["sante--sante-mentale"], Urgency.Standard, "Note de situation",
        new ConsentDetails(ConsentMethod.Written, scope, new Party("iscg-1", Guid.NewGuid()), T0), null, null, null,
        T0, T0, T0.AddDays(5), T0.AddDays(30), false, null, null, null, null, null, null, null, [], 0, 0, T0, 3);

    [Fact]
    public void The_receiver_sees_the_identity_while_the_referral_is_open()
    {
        var view = ReferralView.For(Referral(ReferralStatus.Acknowledged, new SharingScope(true, true, true)), Viewer.Receiver);

        Assert.Equal("Nadia", view.Person.FirstName);
        Assert.NotNull(view.Person.Contact);
    }

    [Fact]
    public void After_a_decline_the_receiver_no_longer_sees_who_the_person_is_but_the_sender_does()
    {
        var declined = Referral(ReferralStatus.Declined, new SharingScope(true, true, true));

        Assert.Null(ReferralView.For(declined, Viewer.Receiver).Person.FirstName);
        Assert.Null(ReferralView.For(declined, Viewer.Receiver).Person.Contact);
        Assert.Equal("Nadia", ReferralView.For(declined, Viewer.Collector).Person.FirstName);
    }

    [Fact]
    public void The_receiver_sees_only_what_the_person_agreed_to_share()
    {
        var view = ReferralView.For(Referral(ReferralStatus.Sent, new SharingScope(false, false, true)), Viewer.Receiver);

        Assert.Null(view.Person.FirstName);
        Assert.Null(view.Situation);
        Assert.Null(view.Note);
        Assert.Equal(["sante--sante-mentale"], view.Needs!);
        Assert.Equal("P-ABCDEFGH", view.Person.PseudonymousReference);
    }

    [Fact]
    public void Support_staff_see_metadata_only()
    {
        var view = ReferralView.For(Referral(ReferralStatus.Sent, new SharingScope(true, true, true)), Viewer.Support);

        Assert.Null(view.Person.FirstName);
        Assert.Null(view.Note);
        Assert.Null(view.Messages);
        Assert.Null(view.Needs);
    }
}
