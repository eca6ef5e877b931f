using System.Globalization;

namespace EventManagement.Api.Hosting;

/// <summary>The <c>PORT</c> setting: where Kestrel listens.</summary>
public static class ListeningPort
{
    public const string Variable = "PORT";
    public const int Default = 3000;

    /// <summary>The port from configuration (environment variable <c>PORT</c>), or <see cref="Default"/>.</summary>
    /// <remarks>0 asks the system for any free port (Kestrel logs the one it got); spaces around the number are ignored.</remarks>
    /// <exception cref="InvalidConfigurationException">PORT is set but is not a whole number from 0 to 65535.</exception>
    public static int Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Variable];
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        const NumberStyles Styles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite;
        return int.TryParse(text, Styles, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65_535
            ? port
            : throw new InvalidConfigurationException($"PORT must be a whole number from 0 to 65535; got '{text}'.");
    }

    /// <summary>Listens on every interface at the configured port.</summary>
    public static WebApplicationBuilder ListenOnConfiguredPort(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var port = Read(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        return builder;
    }
}
