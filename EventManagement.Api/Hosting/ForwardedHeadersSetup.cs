using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace EventManagement.Api.Hosting;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto from the proxies named in <c>ForwardedHeaders:KnownProxies</c> only, so
/// that behind nginx the client address (and each client's rate limit) is the real client's, and a client that
/// connects directly cannot pick its identity with a header.
/// </summary>
public static class ForwardedHeadersSetup
{
    public static IServiceCollection AddKnownProxies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .Bind(configuration.GetSection(ForwardedHeadersSettings.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddOptions<ForwardedHeadersOptions>()
            .Configure<IOptions<ForwardedHeadersSettings>>(static (forwarded, settings) =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                // The framework trusts 127.0.0.0/8 and ::1 by default: only the configured proxies may speak.
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var address in settings.Value.Addresses)
                {
                    forwarded.KnownProxies.Add(address);
                }

                foreach (var network in settings.Value.Networks)
                {
                    forwarded.KnownIPNetworks.Add(network);
                }

                // One proxy in front: believe its entry (the address it saw), not what the client wrote before it.
                forwarded.ForwardLimit = 1;
            });
        return services;
    }

    /// <summary>
    /// The middleware only when proxies are configured: with both lists empty it would believe everyone.
    /// </summary>
    public static WebApplication UseKnownProxies(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Entries.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
