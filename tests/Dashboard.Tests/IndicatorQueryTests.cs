using System.Security.Claims;
using Coordination.Dashboard.Indicators;
using Coordination.Dashboard.Referrals;
using Coordination.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Coordination.Dashboard.Tests;

public class IndicatorQueryTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static IndicatorQuery Parse(string query, DateTimeOffset now)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CoordinationClaims.UserId, "c"), new Claim(CoordinationClaims.Role, Roles.NationalCoordinator)], "test"));
        var (parsed, problem) = IndicatorQuery.Parse(http, new FixedClock(now));
        Assert.Null(problem);
        return parsed!;
    }

    [Theory]
    [InlineData("?period=day")]
    [InlineData("?period=week")]
    [InlineData("?period=month")]
    [InlineData("?period=year")]
    public void Default_ranges_are_whole_paris_days_even_across_a_change_of_summer_time(string query)
    {
        // 27 November: 30 days and 12 weeks back cross the end of summer time (25 October 2026).
        var q = Parse(query, new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, TimeZoneInfo.ConvertTime(q.From, ParisTime.Zone).TimeOfDay);
        Assert.Equal(TimeSpan.Zero, TimeZoneInfo.ConvertTime(q.To, ParisTime.Zone).TimeOfDay);
        // So national views read the totals, monthly or daily.
        Assert.Equal(query is "?period=day" or "?period=week" ? "d" : "m", ReferralIndicators.TotalsGrain(q));
    }

    [Fact]
    public void A_national_network_filter_reads_the_totals_and_a_range_that_cuts_a_day_is_refused()
    {
        var now = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        // Periods are whole Paris days (differencing, docs/privacy.md): a time of day is a client's mistake, not a slower query.
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?from=2026-11-01T10:00:00Z&to=2026-11-20");
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(CoordinationClaims.UserId, "c"), new Claim(CoordinationClaims.Role, Roles.NationalCoordinator)], "test"));
        Assert.NotNull(IndicatorQuery.Parse(http, new FixedClock(now)).Problem);
        Assert.Equal("m", ReferralIndicators.TotalsGrain(Parse("?network=iscg", now)));
        Assert.Equal("d", ReferralIndicators.TotalsGrain(Parse("?network=iscg&period=day", now)));
        // A département's network, like an organisation's view, reads its few hand-offs.
        Assert.Null(ReferralIndicators.TotalsGrain(Parse("?departement=93&network=iscg", now)));
        Assert.Equal("m", ReferralIndicators.TotalsGrain(Parse("?departement=93", now)));
        Assert.Null(ReferralIndicators.TotalsGrain(Parse("?departement=93&period=week", now)));
    }
}
