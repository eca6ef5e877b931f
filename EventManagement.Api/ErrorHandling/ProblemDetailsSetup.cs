using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EventManagement.Api.ErrorHandling;

/// <summary>One error format for every error response: RFC 9457 problem details plus the original service's fields.</summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddProblemResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = static context =>
            Complete(context.ProblemDetails, context.HttpContext));
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }

    /// <summary>Fills in what RFC 9457 and the original clients expect: type, title, detail, traceId, success and message.</summary>
    public static void Complete(ProblemDetails problem, HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(httpContext);
        var status = problem.Status ??= httpContext.Response.StatusCode;
        problem.Type ??= $"https://httpstatuses.io/{status}";
        problem.Title ??= ReasonPhrase(status);
        problem.Detail ??= problem is ValidationProblemDetails validation && validation.Errors.Count > 0
            ? string.Join(" ", validation.Errors.SelectMany(static error => error.Value).Take(5))
            : ProblemMessages.DetailForStatus(status);
        problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        problem.Extensions["success"] = false;
        problem.Extensions.TryAdd("message", ProblemMessages.ForStatus(status));
    }

    private static string ReasonPhrase(int status)
    {
        var phrase = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        return string.IsNullOrEmpty(phrase) ? "Error" : phrase;
    }
}
