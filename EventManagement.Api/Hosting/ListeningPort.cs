using System.Globalization;

namespace EventManagement.Api.Hosting;

/// <summary>The <c>PORT</c> setting: where Kestrel listens.</summary>
public static class ListeningPort
{
    public const string Variable = "PORT";
    public const int Default = 3000;

    /// <summary>The port from configuration (environment variable <c>PORT</c>), or <see cref="Default"/>.</summary>
    /// <exception cref="InvalidConfigurationException">PORT is set but is not a whole number from 1 to 65535.</exception>
    public static int Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[Variable];
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65_535
            ? port
            : throw new InvalidConfigurationException($"PORT must be a whole number from 1 to 65535; got '{text}'.");
    }

    /// <summary>Listens on every interface at the configured port, with no <c>Server</c> header.</summary>
    public static WebApplicationBuilder ListenOnConfiguredPort(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var port = Read(builder.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenAnyIP(port);
        });
        return builder;
    }
}
