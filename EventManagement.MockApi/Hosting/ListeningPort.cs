using System.Globalization;

namespace EventManagement.MockApi.Hosting;

/// <summary>The <c>PORT</c> setting: the port the MockApi listens on, on all interfaces.</summary>
internal static class ListeningPort
{
    /// <summary>The setting's name (an environment variable, or <c>--PORT=</c> on the command line).</summary>
    public const string SettingName = "PORT";

    /// <summary>The port when PORT is not set (or empty).</summary>
    public const int DefaultPort = 3001;

    /// <summary>
    /// Parses PORT; an unset or empty value gives <see cref="DefaultPort"/>, 0 asks the system for any free port
    /// (Kestrel logs the one it got), and spaces around the number are ignored, as the Api's PORT does.
    /// </summary>
    /// <param name="value">The raw setting.</param>
    /// <param name="port">The port, when valid.</param>
    /// <param name="error">A message naming PORT, when not.</param>
    public static bool TryParse(string? value, out int port, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            port = DefaultPort;
            return true;
        }

        const NumberStyles Styles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;
        if (int.TryParse(value, Styles, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535)
        {
            return true;
        }

        error = $"{SettingName} must be a whole number from 0 to 65535; got '{value}'";
        return false;
    }
}
