using System.Security.Cryptography;
using System.Text;
using EventManagement.Api.ErrorHandling;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;

namespace EventManagement.Api.Security;

/// <summary>
/// Requires the <c>X-Api-Key</c> header when <see cref="SecurityOptions.ApiKey"/> is set. The comparison takes the
/// same time whatever the key, so timing does not leak how much of it a caller got right.
/// </summary>
public sealed class ApiKeyFilter(IOptions<SecurityOptions> options) : IAsyncAuthorizationFilter
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _expectedHash = string.IsNullOrEmpty(options.Value.ApiKey)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.ApiKey));

    public Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_expectedHash is null)
        {
            return Task.CompletedTask;
        }

        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();
        // Hashing first makes both sides the same length, which FixedTimeEquals needs to be constant-time.
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash))
        {
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Detail = $"POST /addEvent needs a valid {HeaderName} header.",
            };
            ProblemDetailsSetup.Complete(problem, context.HttpContext);
            context.Result = new ObjectResult(problem)
            {
                StatusCode = StatusCodes.Status401Unauthorized,
                ContentTypes = { "application/problem+json" },
            };
        }

        return Task.CompletedTask;
    }
}
