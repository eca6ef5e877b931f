using EventManagement.Application.Common;
using EventManagement.Application.Idempotency;
using EventManagement.Application.Overload;
using EventManagement.Application.Resilience;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace EventManagement.Api.ErrorHandling;

/// <summary>
/// Maps our exceptions to problem responses: not found → 404, Idempotency-Key in flight → 409 (draft's rule),
/// reused with another request → 422, breaker open → 503 with Retry-After, upstream
/// unavailable → 503, timed out → 504, bad answer → 502, and the server's own request errors (413 and friends) to
/// their status. Anything else is left to the framework's 500, which never shows a stack trace outside Development.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problemDetails, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
        {
            NotFoundException notFound => Problem(StatusCodes.Status404NotFound, notFound.Message, $"{notFound.Resource.ToLowerInvariant()} not found"),
            ServiceBusyException => Problem(
                StatusCodes.Status503ServiceUnavailable,
                "The Api has more work for the events API than it can finish in time. Try again after the time in Retry-After.",
                ProblemMessages.ServiceBusy),
            CircuitOpenException open => Problem(
                StatusCodes.Status503ServiceUnavailable,
                "The events API is failing, so the Api is not calling it for now. Try again after the time in Retry-After.",
                ProblemMessages.ServiceDown),
            UpstreamException { Kind: UpstreamFailureKind.Unavailable } => Problem(
                StatusCodes.Status503ServiceUnavailable,
                "The events API is unavailable and kept failing through the retries.",
                ProblemMessages.ServiceBusy),
            UpstreamException { Kind: UpstreamFailureKind.TimedOut } => Problem(
                StatusCodes.Status504GatewayTimeout, "The events API did not answer in time.", null),
            UpstreamException => Problem(
                StatusCodes.Status502BadGateway, "The events API answered something the Api cannot use.", null),
            IdempotencyKeyInFlightException => Problem(
                StatusCodes.Status409Conflict,
                "A request with this Idempotency-Key is still in progress. Retry after it has finished to get its answer.",
                ProblemMessages.RequestInProgress),
            IdempotencyKeyReusedException => Problem(
                StatusCodes.Status422UnprocessableEntity,
                "This Idempotency-Key was already used for this user with a different request. Use a new key for a new request.",
                ProblemMessages.IdempotencyKeyReused),
            BadHttpRequestException badRequest => Problem(badRequest.StatusCode, null, null),
            _ => null,
        };

        if (problem is null)
        {
            // .NET 10 no longer logs exceptions that a handler takes; this one falls through to the framework's 500,
            // which logs it, so log nothing here.
            return false;
        }

        if (exception is CircuitOpenException circuitOpen)
        {
            httpContext.Response.Headers[HeaderNames.RetryAfter] = ((int)circuitOpen.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (exception is IdempotencyKeyInFlightException)
        {
            httpContext.Response.Headers[HeaderNames.RetryAfter] = "1";
        }

        if (exception is ServiceBusyException busy)
        {
            httpContext.Response.Headers[HeaderNames.RetryAfter] = ((int)busy.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // Refusals under load are counted (eventmanagement.requests.refused) and logged when refusing starts and
        // stops, never one line each: a burst of them must not flood the log.
        if (problem.Status >= 500 && exception is not ServiceBusyException)
        {
            logger.LogWarning("{Method} {Path} failed with {StatusCode}: {Reason}", httpContext.Request.Method, httpContext.Request.Path.Value, problem.Status, exception.Message);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static ProblemDetails Problem(int status, string? detail, string? message)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail };
        if (message is not null)
        {
            problem.Extensions["message"] = message;
        }

        return problem;
    }
}
