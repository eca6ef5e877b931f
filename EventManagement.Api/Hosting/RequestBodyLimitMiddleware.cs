using EventManagement.Api.Validation;

namespace EventManagement.Api.Hosting;

/// <summary>
/// Refuses a declared body over 64 KiB with 413 before anything reads it. Kestrel also enforces the limit on
/// bodies without a Content-Length; this check covers hosts that do not (the test server) and answers sooner.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > InputRules.MaxBodyBytes)
        {
            throw new BadHttpRequestException("The request body is larger than 64 KiB.", StatusCodes.Status413PayloadTooLarge);
        }

        return next(context);
    }
}
