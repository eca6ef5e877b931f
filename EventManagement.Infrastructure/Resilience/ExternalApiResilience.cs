using EventManagement.Application.Diagnostics;
using EventManagement.Infrastructure.ExternalApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace EventManagement.Infrastructure.Resilience;

/// <summary>
/// The one resilience handler on the external API's HttpClient: a total timeout around retries around a
/// per-attempt timeout. Deliberately no circuit breaker here: ours is hand-written and sits above, around
/// POST /addEvent, so that one call that spent its retries counts as one failure.
/// </summary>
internal static class ExternalApiResilience
{
    public const string PipelineName = "external-api";

    public static IHttpClientBuilder AddExternalApiResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler(PipelineName, static (pipeline, context) =>
        {
            var services = context.ServiceProvider;
            var options = services.GetRequiredService<IOptions<ExternalApiOptions>>().Value;
            var metrics = services.GetRequiredService<EventManagementMetrics>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalApiResilience).FullName!);

            pipeline.AddTimeout(options.TotalTimeout);
            if (options.MaxRetries > 0)
            {
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    // Default ShouldHandle: connection errors, timeouts, 408, 429 and 5xx. A 404 is an answer.
                    MaxRetryAttempts = options.MaxRetries,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    // The overloaded API's Retry-After must not stretch our small backoff into a long wait.
                    ShouldRetryAfterHeader = false,
                    OnRetry = arguments =>
                    {
                        var route = RouteOf(arguments.Context.GetRequestMessage());
                        metrics.RecordRetry(route);
                        logger.LogWarning(
                            "Upstream {Route} attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms",
                            route,
                            arguments.AttemptNumber + 1,
                            Describe(arguments.Outcome),
                            (long)arguments.RetryDelay.TotalMilliseconds);
                        return default;
                    },
                });
            }

            pipeline.AddTimeout(options.AttemptTimeout);
        });
        return builder;
    }

    private static string RouteOf(HttpRequestMessage? request)
    {
        var path = request?.RequestUri?.AbsolutePath ?? "/";
        var end = path.IndexOf('/', 1);
        return end < 0 ? path.TrimStart('/') : path[1..end];
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception
            ? exception.GetType().Name + ": " + exception.GetBaseException().Message
            : "HTTP " + (int?)outcome.Result?.StatusCode;
}
