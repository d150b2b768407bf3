using System.Text.Json.Serialization;

namespace Coordination.Testing;

/// <summary>
/// What the provider's token endpoint answers (RFC 6749 §5.1 and §5.2): the tokens when it grants them, the error
/// code when it refuses.
/// </summary>
public sealed record TokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("id_token")] string? IdToken,
    [property: JsonPropertyName("error")] string? Error);
