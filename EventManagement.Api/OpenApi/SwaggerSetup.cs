using System.Reflection;
using EventManagement.Api.Security;
using Microsoft.OpenApi;

namespace EventManagement.Api.OpenApi;

/// <summary>Swagger UI at /swagger, built from the controllers and their XML docs.</summary>
public static class SwaggerSetup
{
    public static IServiceCollection AddSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(static swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "EventManagement API",
                Version = "v1",
                Description = "Users and their events, served in front of a slow, flaky external events API. "
                    + "Every error is an RFC 9457 problem (application/problem+json) with traceId, success: false and message.",
            });
            var xmlFile = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            swagger.IncludeXmlComments(xmlFile, includeControllerXmlComments: true);
            swagger.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "EventManagement.Application.xml"));
            swagger.SchemaFilter<ExamplesSchemaFilter>();
            swagger.AddSecurityDefinition(ApiKeyAuthenticationHandler.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = ApiKeyAuthenticationHandler.HeaderName,
                Description = "Needed by POST /addEvent when the Api runs with Security:ApiKey set.",
            });
            swagger.OperationFilter<ApiKeyOperationFilter>();
            swagger.SupportNonNullableReferenceTypes();
        });
        return services;
    }

    /// <summary>Serves /swagger when <see cref="SwaggerOptions.Enabled"/> (or, unset, in Development).</summary>
    public static WebApplication UseSwaggerWhenEnabled(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var enabled = app.Configuration.GetSection(SwaggerOptions.SectionName).Get<SwaggerOptions>()?.Enabled
            ?? app.Environment.IsDevelopment();
        if (enabled)
        {
            app.UseSwagger();
            app.UseSwaggerUI(static ui =>
            {
                ui.SwaggerEndpoint("/swagger/v1/swagger.json", "EventManagement API v1");
                ui.DocumentTitle = "EventManagement API";
            });
        }

        return app;
    }
}
