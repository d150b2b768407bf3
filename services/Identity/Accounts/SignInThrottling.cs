using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Coordination.Identity.Accounts;

/// <summary>
/// Recent failed sign-ins of one key: a username (known or not, so that unknown names behave like real ones), a client
/// address, or an account's second step. The id is a SHA-256 of the key: neither names nor addresses are stored here.
/// </summary>
public sealed record SignInFailures(string Id, int Count, DateTimeOffset LastAt);

/// <summary>Section <c>Identity:SignInDelays</c>.</summary>
public sealed class SignInDelayOptions
{
    /// <summary>Failures of one username (or one second step) before any delay: typing mistakes cost nothing.</summary>
    public int FreeFailuresPerAccount { get; set; } = 3;

    /// <summary>Failures from one address before any delay: an office behind one address has many people.</summary>
    public int FreeFailuresPerAddress { get; set; } = 20;

    /// <summary>The first delay; each further failure doubles it.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest an account waits: what someone else's failures can impose on its owner (the 15-minute lockout is gone).
    /// </summary>
    public TimeSpan MaxDelayPerAccount { get; set; } = TimeSpan.FromMinutes(2);

    public TimeSpan MaxDelayPerAddress { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Failures older than this are forgotten.</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>
/// Progressive delays instead of a lockout: after a few failures, each attempt must wait a delay that doubles with every
/// further failure, up to a ceiling, per username and per client address. An attempt made before the delay has run is
/// refused exactly like a wrong password (same answer, same work), so guessing gains nothing by hurrying.
/// </summary>
public static class SignInThrottling
{
    public static string AccountKey(string username) => Key("account", username.Trim().ToLowerInvariant());

    public static string AddressKey(IPAddress address) => Key("address", address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString());

    public static string SecondStepKey(Guid accountId) => Key("second-step", accountId.ToString());

    private static string Key(string kind, string value) =>
        kind + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(kind + ":" + value)));

    /// <summary>The delay after <paramref name="failures"/> failures: none for the free ones, then doubling, never past the ceiling.</summary>
    public static TimeSpan DelayAfter(int failures, int free, TimeSpan first, TimeSpan max)
    {
        if (failures <= free)
            return TimeSpan.Zero;
        var doublings = Math.Min(failures - free - 1, 30);
        var delay = first * Math.Pow(2, doublings);
        return delay < max ? delay : max;
    }

    /// <summary>Until when attempts under these keys are refused unchecked; null when an attempt may be checked now.</summary>
    public static DateTimeOffset? DelayedUntil(SignInFailures? perAccount, SignInFailures? perAddress, SignInDelayOptions options, DateTimeOffset now)
    {
        DateTimeOffset? until = null;
        foreach (var (failures, free, max) in new[]
                 {
                     (perAccount, options.FreeFailuresPerAccount, options.MaxDelayPerAccount),
                     (perAddress, options.FreeFailuresPerAddress, options.MaxDelayPerAddress),
                 })
        {
            if (Current(failures, options, now) is not { } recent)
                continue;
            var end = recent.LastAt + DelayAfter(recent.Count, free, options.FirstDelay, max);
            if (end > now && (until is null || end > until))
                until = end;
        }
        return until;
    }

    /// <summary>One more failure under a key (an attempt refused because it came too early counts too).</summary>
    public static SignInFailures Failed(string key, SignInFailures? before, SignInDelayOptions options, DateTimeOffset now) =>
        new(key, (Current(before, options, now)?.Count ?? 0) + 1, now);

    private static SignInFailures? Current(SignInFailures? failures, SignInDelayOptions options, DateTimeOffset now) =>
        failures is not null && now - failures.LastAt < options.ForgetAfter ? failures : null;
}
