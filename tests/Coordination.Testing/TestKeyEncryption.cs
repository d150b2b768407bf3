using System.Security.Cryptography;

namespace Coordination.Testing;

/// <summary>
/// The key-encryption key Referrals wraps person keys with in tests (never stored in a database): one per test run,
/// shared by every host and process of the run, so that two instances on one database read each other's keys.
/// </summary>
public static class TestKeyEncryption
{
    public const string Id = "20260101T000000Z";
    public static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static string Setting => $"Privacy:KeyEncryption:Keys:{Id}";
}
