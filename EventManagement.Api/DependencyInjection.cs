using System.Text.Json.Serialization;
using EventManagement.Api.Contracts;
using EventManagement.Api.ErrorHandling;
using EventManagement.Api.Health;
using EventManagement.Api.Hosting;
using EventManagement.Api.OpenApi;
using EventManagement.Api.Security;
using EventManagement.Api.Telemetry;
using EventManagement.Api.Validation;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace EventManagement.Api;

/// <summary>Registers and wires the HTTP layer: controllers, errors, health, security, metrics and Swagger.</summary>
public static class DependencyInjection
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ShutdownOptions>()
            .Bind(configuration.GetSection(ShutdownOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        services.AddOptions<HostOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<ShutdownOptions>>(static (host, shutdown) => host.ShutdownTimeout = shutdown.Value.Timeout);
        services.AddOptions<SecurityOptions>()
            .Bind(configuration.GetSection(SecurityOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddControllers(static mvc =>
            {
                // Validation errors name fields as clients write them (camelCase JSON names).
                mvc.ModelMetadataDetailsProviders.Add(new SystemTextJsonValidationMetadataProvider());
                var json = mvc.InputFormatters.OfType<SystemTextJsonInputFormatter>().Single();
                mvc.InputFormatters[mvc.InputFormatters.IndexOf(json)] = new CharsetCheckingInputFormatter(json);
                // Actions bind from the route, the body and headers only: no value providers for forms and query
                // strings, which MVC would otherwise build for every request that binds a parameter.
                mvc.ValueProviderFactories.RemoveType<FormValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<FormFileValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<QueryStringValueProviderFactory>();
                mvc.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
            })
            .AddJsonOptions(static json =>
            {
                json.JsonSerializerOptions.AllowDuplicateProperties = false;
                json.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
                json.JsonSerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
            });

        services.AddProblemResponses();
        services.AddHealth(configuration);
        services.AddTelemetry(configuration);
        services.AddSwagger();
        services.AddKnownProxies(configuration);
        services.AddApiKeyAuthentication();
        services.AddAddEventRateLimiting();
        services.AddHostedService<ShutdownDrainService>();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(static kestrel => kestrel.AddServerHeader = false);
        return services;
    }

    /// <summary>The middleware pipeline and the endpoints.</summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseKnownProxies();
        app.UseMiddleware<DrainingConnectionCloseMiddleware>();
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestDeadlineMiddleware>();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseSwaggerWhenEnabled();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAddEventRateLimiting();
        app.MapControllers();
        app.MapHealth();
        app.MapMetrics();
        return app;
    }
}
