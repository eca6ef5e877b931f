using System.Globalization;
using System.Threading.RateLimiting;
using EventManagement.Api.ErrorHandling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EventManagement.Api.Security;

/// <summary>Per-client rate limiting of POST /addEvent with the framework's rate limiter; off unless configured.</summary>
public static class RateLimitingSetup
{
    public const string AddEventPolicy = "addEvent";

    public static IServiceCollection AddAddEventRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(AddEventPolicy, static httpContext =>
            {
                var options = httpContext.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value;
                var client = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return options.AddEventRateLimit <= 0
                    ? RateLimitPartition.GetNoLimiter(client)
                    : RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = options.AddEventRateLimit,
                        Window = options.RateLimitWindow,
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = static async (context, cancellationToken) =>
            {
                var httpContext = context.HttpContext;
                httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                httpContext.Response.Headers[HeaderNames.RetryAfter] =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = httpContext,
                    ProblemDetails = new ProblemDetails { Status = StatusCodes.Status429TooManyRequests },
                });
            };
        });
        return services;
    }
}
