using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Moq;

namespace EventManagement.Tests.Integration.Api;

/// <summary>
/// The real Api in a test server, with the Refit client swapped for a Moq mock. Runs as Production (so error
/// responses are the ones users see) with Swagger switched on by its setting, and on <paramref name="time"/> when
/// given (a fake clock) instead of the system's.
/// </summary>
public sealed class ApiFactory(IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null) : WebApplicationFactory<Program>
{
    public Mock<IExternalEventsApiClient> ExternalApi { get; } = new();

    /// <summary>Makes the mocked external API store every event it is sent; returns the list it captures them in.</summary>
    public List<EventContract> AcceptEveryEvent()
    {
        var sent = new List<EventContract>();
        ExternalApi.Setup(api => api.AddEventAsync(Capture.In(sent), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new AddEventResponseContract(true, null, null)));
        return sent;
    }

    /// <summary>
    /// A client of this Api whose readiness checks run from the start and then every second (the other clients run
    /// them only when asked), for the readiness gauge at /metrics.
    /// </summary>
    public HttpClient CreateClientPublishingReadinessEverySecond() =>
        WithWebHostBuilder(static builder => builder.ConfigureTestServices(static services =>
                services.Configure<HealthCheckPublisherOptions>(static publishing =>
                {
                    publishing.Delay = TimeSpan.Zero;
                    publishing.Period = TimeSpan.FromSeconds(1);
                })))
            .CreateClient();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Swagger:Enabled", "true");
        builder.UseSetting("Shutdown:DrainDelay", "00:00:00");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<IExternalEventsApiClient>();
            services.AddSingleton(_ => ExternalApi.Object);
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            // The readiness checks also run on a timer, for the gauge of /metrics; here they run only when a test asks
            // (/readyz, or ReadinessMetricsTests' own timing), so that no ping lands at a moment no test chose.
            services.Configure<HealthCheckPublisherOptions>(static publishing => publishing.Delay = TimeSpan.FromDays(1));
        });
    }
}
