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

    public static IServiceCollection AddApiKeyAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
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
