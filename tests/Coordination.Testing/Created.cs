using System.Text.Json.Serialization;

namespace Coordination.Testing;

/// <summary>
/// What every POST that creates a resource answers at least: the new resource's id. Required, so that an answer
/// without one fails the read instead of handing back an empty id.
/// </summary>
public sealed record Created([property: JsonRequired] Guid Id);

public static class CreatedAnswers
{
    /// <summary>The id of the resource a 201 answer created.</summary>
    public static async Task<Guid> CreatedId(this HttpResponseMessage response) => (await response.ReadJson<Created>()).Id;
}
