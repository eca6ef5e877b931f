using EventManagement.Application.Diagnostics;
using EventManagement.Infrastructure.ExternalApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace EventManagement.Infrastructure.Resilience;

/// <summary>
/// The one resilience handler on the external API's HttpClient: a total timeout around retries (within the
/// process-wide <see cref="RetryBudget"/>) around a per-attempt timeout. The call budget sits above, in
/// <see cref="BudgetedExternalEventsApi"/>, so that none of these timeouts starts before the call has its slot. Deliberately no circuit breaker here: ours is hand-written and sits above, around
/// POST /addEvent, so that one call that spent its retries counts as one failure.
/// </summary>
internal static class ExternalApiResilience
{
    public const string PipelineName = "external-api";

    public static IHttpClientBuilder AddExternalApiResilience(this IHttpClientBuilder builder)
    {
        // One pipeline for the process, built once and handed to the framework's ResilienceHandler as it is:
        // AddResilienceHandler would look it up in a registry on every request and wrap every execution in Polly's
        // telemetry (a duration metric and events nobody reads; the retries are logged and counted below).
        builder.Services.AddKeyedSingleton(PipelineName, static (services, _) => Build(services));
        builder.AddHttpMessageHandler(static services =>
            new ResilienceHandler(services.GetRequiredKeyedService<ResiliencePipeline<HttpResponseMessage>>(PipelineName)));
        return builder;
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(IServiceProvider services)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = PipelineName,
            TimeProvider = services.GetRequiredService<TimeProvider>(),
        };

        var options = services.GetRequiredService<IOptions<ExternalApiOptions>>().Value;
        var metrics = services.GetRequiredService<EventManagementMetrics>();
        var overloadMetrics = services.GetRequiredService<OverloadMetrics>();
        var retryBudget = services.GetRequiredService<RetryBudget>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalApiResilience).FullName!);

        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            var retry = new HttpRetryStrategyOptions
            {
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
                    var failure = Describe(arguments.Outcome);
                    var delayMs = (long)arguments.RetryDelay.TotalMilliseconds;
                    logger.LogWarning(
                        "Upstream {Route} attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms",
                        route,
                        arguments.AttemptNumber + 1,
                        failure,
                        delayMs);
                    EventManagementActivities.Decision(
                        "retry",
                        new KeyValuePair<string, object?>("upstream.route", route),
                        new KeyValuePair<string, object?>("attempt", arguments.AttemptNumber + 1),
                        new KeyValuePair<string, object?>("failure", failure),
                        new KeyValuePair<string, object?>("delay_ms", delayMs));
                    return default;
                },
            };

            // The default predicate (connection errors, timeouts, 408, 429 and 5xx; a 404 is an answer), then the
            // retry budget: every call's first outcome earns retries, every retry that would follow spends one.
            var isTransient = retry.ShouldHandle;
            retry.ShouldHandle = async arguments =>
            {
                var route = RouteOf(arguments.Context.GetRequestMessage());
                if (arguments.AttemptNumber == 0)
                {
                    retryBudget.RecordCall(route);
                }

                if (!await isTransient(arguments)
                    || arguments.AttemptNumber >= options.MaxRetries
                    || arguments.Context.CancellationToken.IsCancellationRequested)
                {
                    // No retry would follow, so none is taken from the budget.
                    return false;
                }

                if (retryBudget.TryRetry(route))
                {
                    return true;
                }

                overloadMetrics.RecordRetryDenied(route);
                return false;
            };
            pipeline.AddRetry(retry);
        }

        pipeline.AddTimeout(options.AttemptTimeout);
        return pipeline.Build();
    }

    // The first path segment ("getEventById" of /getEventById/7), the name the gateway gives the route; the readiness
    // probe's ping of the root has none and is named "/", so that its retries are not logged and counted nameless.
    private static string RouteOf(HttpRequestMessage? request)
    {
        var path = request?.RequestUri?.AbsolutePath ?? "/";
        var end = path.IndexOf('/', 1);
        var route = end < 0 ? path[1..] : path[1..end];
        return route.Length == 0 ? "/" : route;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } exception
            ? exception.GetType().Name + ": " + exception.GetBaseException().Message
            : "HTTP " + (int?)outcome.Result?.StatusCode;
}
