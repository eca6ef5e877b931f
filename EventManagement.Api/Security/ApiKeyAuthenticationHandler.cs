using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace EventManagement.Api.Security;

/// <summary>
/// The <c>ApiKey</c> authentication scheme: a caller that sends the configured <see cref="SecurityOptions.ApiKey"/> in
/// the <c>X-Api-Key</c> header is authenticated. The comparison takes the same time whatever the key, so timing does
/// not leak how much of it a caller got right. A challenge answers 401 in the Api's problem format.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<SecurityOptions> security,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    private static readonly ClaimsPrincipal Caller = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], SchemeName));

    // Hashing makes both sides the same length, which FixedTimeEquals needs to be constant-time.
    private readonly byte[]? _expectedHash = string.IsNullOrEmpty(security.Value.ApiKey)
        ? null
        : SHA256.HashData(Encoding.UTF8.GetBytes(security.Value.ApiKey));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (_expectedHash is null || !Request.Headers.TryGetValue(HeaderName, out var presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented.ToString()));
        return Task.FromResult(CryptographicOperations.FixedTimeEquals(presentedHash, _expectedHash)
            ? AuthenticateResult.Success(new AuthenticationTicket(Caller, SchemeName))
            : AuthenticateResult.Fail($"Wrong {HeaderName}."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 9110 asks a 401 for at least one challenge; this one names the header to send.
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Detail = $"POST /addEvent needs a valid {HeaderName} header.",
            },
        });
    }
}
