using System.Text.RegularExpressions;

namespace EventManagement.Api.Validation;

/// <summary>The rules every client input must meet (SPEC §3), in one place.</summary>
public static partial class InputRules
{
    public const int IdMaxLength = 64;
    public const int NameMaxLength = 200;
    public const int DetailsMaxLength = 2000;
    public const int IdempotencyKeyMaxLength = 200;

    /// <summary>The largest request body accepted, in bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Ids: 1 to 64 letters, digits, '-' or '_'.</summary>
    public static bool IsValidId(string? value) => value is not null && IdPattern().IsMatch(value);

    /// <summary>True when <paramref name="value"/> has a control character other than those allowed.</summary>
    public static bool HasControlCharacter(string value, bool allowTabAndNewline)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var character in value)
        {
            if (char.IsControl(character) && !(allowTabAndNewline && character is '\t' or '\n'))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
