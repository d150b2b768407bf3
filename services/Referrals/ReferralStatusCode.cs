using System.Text.Json;
using System.Text.Json.Serialization;
using Coordination.ServiceDefaults.Messaging;

namespace Coordination.Referrals;

/// <summary>
/// A status has one spelling everywhere: the contract code (<c>on-hold</c>, <c>entered-in-error</c>), which is also what
/// the Dashboard stores and the Portal keys its labels on. The API writes and reads <see cref="ReferralStatus"/> so.
/// </summary>
public sealed class ReferralStatusCode : JsonConverter<ReferralStatus>
{
    private static readonly Dictionary<string, ReferralStatus> ByCode =
        Enum.GetValues<ReferralStatus>().ToDictionary(Of, StringComparer.Ordinal);

    public static string Of(ReferralStatus status) => ContractCodes.Of(status);

    public static bool TryParse(string code, out ReferralStatus status) => ByCode.TryGetValue(code, out status);

    public override ReferralStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } code && TryParse(code, out var status)
            ? status
            : throw new JsonException($"Statut inconnu : attendu l'un de {string.Join(", ", ByCode.Keys)}.");

    public override void Write(Utf8JsonWriter writer, ReferralStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Of(value));
}
