using System.Net;

namespace Coordination.Testing;

/// <summary>
/// Given / When / Then over the existing HTTP clients, in the spirit of Ogooreck, so that an API test reads as a
/// specification and asserts on records rather than on <c>GetProperty(...)</c> chains:
/// <code>
/// var referral = await Given(() =&gt; handoffs.Sent(...));                       // arrange: plain awaited setup
/// var answer = await When(() =&gt; receiver.PostAsync($"/api/referrals/{id}/acceptance", null))
///     .Then(HttpStatusCode.OK);                                                  // the status, or the body is shown
/// var details = await answer.Body&lt;ReferralDetails&gt;();                          // the answer as the domain reads it
/// </code>
/// </summary>
public static class Specification
{
    /// <summary>Arrange: runs a setup step and hands back what it produced.</summary>
    public static Task<T> Given<T>(Func<Task<T>> arrange) => arrange();

    /// <summary>Arrange: runs setup steps in order.</summary>
    public static async Task Given(params Func<Task>[] steps)
    {
        foreach (var step in steps)
            await step();
    }

    /// <summary>Act: the one HTTP call under test.</summary>
    public static Act When(Func<Task<HttpResponseMessage>> call) => new(call);
}

public sealed class Act(Func<Task<HttpResponseMessage>> call)
{
    /// <summary>Assert: the call answers <paramref name="expected"/> (the body is shown when it does not).</summary>
    public async Task<Answer> Then(HttpStatusCode expected)
    {
        var response = await call();
        await response.HasStatus(expected);
        return new Answer(response);
    }

    /// <summary>Assert: the call answers <paramref name="expected"/>; the body read as <typeparamref name="T"/>.</summary>
    public async Task<T> Then<T>(HttpStatusCode expected) => await (await Then(expected)).Body<T>();

    /// <summary>Assert: the call answers <paramref name="expected"/> and the body, read as <typeparamref name="T"/>, satisfies <paramref name="check"/>.</summary>
    public async Task<T> Then<T>(HttpStatusCode expected, Action<T> check)
    {
        var body = await (await Then(expected)).Body<T>();
        check(body);
        return body;
    }
}

/// <summary>What came back: the body as a record, the problem details, the ETag.</summary>
public sealed class Answer(HttpResponseMessage response)
{
    public HttpResponseMessage Response { get; } = response;

    public Task<T> Body<T>() => Response.ReadJson<T>();

    public Task<Problem> Problem() => Response.ReadJson<Problem>();

    /// <summary>The entity tag without quotes (the stream version for event-sourced resources).</summary>
    public string? ETag => Response.Headers.ETag?.Tag.Trim('"');
}

/// <summary>An RFC 7807 answer as the tests read it (French title and detail, per-field errors when any).</summary>
public sealed record Problem(
    int Status, string Title, string? Detail, string? Type, IReadOnlyDictionary<string, string[]>? Errors);
