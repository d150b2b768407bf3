using System.Text;

namespace Coordination.ServiceDefaults.Messaging;

/// <summary>How enums travel in integration contracts: kebab-case codes (Within24Hours → within-24-hours).</summary>
public static class ContractCodes
{
    public static string Of<T>(T value) where T : struct, Enum => Kebab(value.ToString());

    public static string Kebab(string name)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0 && (char.IsUpper(c) || (char.IsDigit(c) && !char.IsDigit(name[i - 1]))))
                builder.Append('-');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
