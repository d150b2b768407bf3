using System.Security.Cryptography;
using System.Text;

namespace Coordination.Notifications.Rules;

/// <summary>
/// Ids computed from what identifies a thing (the event, the person, the channel): a redelivered or replayed event
/// produces the same ids, so a second copy collides with the first instead of becoming a second e-mail.
/// </summary>
public static class DeterministicId
{
    public static Guid From(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50); // version 5 layout (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
