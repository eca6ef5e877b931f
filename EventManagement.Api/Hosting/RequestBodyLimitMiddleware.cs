using EventManagement.Api.Validation;
using Microsoft.AspNetCore.Http.Features;

namespace EventManagement.Api.Hosting;

/// <summary>
/// The one place of the 64 KiB body limit (<see cref="InputRules.MaxBodyBytes"/>), for every route. A declared body
/// over it is refused with 413 before anything reads it, on any host; a body without a length (chunked) is capped by
/// the server's own per-request limit, which Kestrel enforces with the same 413 as it reads.
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

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } serverLimit)
        {
            serverLimit.MaxRequestBodySize = InputRules.MaxBodyBytes;
        }

        return next(context);
    }
}
