using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace EventManagement.Api.Security;

/// <summary>
/// The framework's authentication and authorization for POST /addEvent: the <see cref="AddEventPolicy"/> policy needs
/// the <c>ApiKey</c> scheme when <see cref="SecurityOptions.ApiKey"/> is set and lets everyone in when it is empty.
/// </summary>
public static class ApiKeySetup
{
    public const string AddEventPolicy = "addEvent";

    private const string SuppressAutoDefaultScheme = "Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme";

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        // No default scheme: the policy names the scheme, so only POST /addEvent runs the handler. With a default,
        // UseAuthentication would build a handler and look for the header on every request, GETs included; and
        // ASP.NET Core makes a lone scheme the default unless this switch says otherwise.
        AppContext.SetSwitch(SuppressAutoDefaultScheme, true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>()
            .Configure<IOptions<SecurityOptions>>(static (authorization, security) =>
                authorization.AddPolicy(AddEventPolicy, policy =>
                {
                    if (string.IsNullOrEmpty(security.Value.ApiKey))
                    {
                        // No key configured: the route is open, as the README's curls expect.
                        policy.RequireAssertion(static _ => true);
                    }
                    else
                    {
                        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser();
                    }
                }));
        return services;
    }
}
