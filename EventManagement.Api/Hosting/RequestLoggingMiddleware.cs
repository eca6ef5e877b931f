using System.Diagnostics;

namespace EventManagement.Api.Hosting;

/// <summary>
/// One log line per request: method, path, status, elapsed milliseconds and trace id. Probes and metric scrapes
/// log at Debug so that they do not drown the requests that matter. Bodies are never logged.
/// </summary>
public sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var path = context.Request.Path;
            var level = path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/metrics")
                ? LogLevel.Debug
                : LogLevel.Information;
            if (logger.IsEnabled(level))
            {
                LogRequest(
                    logger,
                    level,
                    context.Request.Method,
                    path.Value,
                    context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    Activity.Current?.Id ?? context.TraceIdentifier);
            }
        }
    }

    // Source-generated: the template is parsed once at build time, and the values are not boxed into an array.
    [LoggerMessage(EventId = 1, Message = "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms traceId={TraceId}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string? path, int statusCode, double elapsedMs, string traceId);
}
