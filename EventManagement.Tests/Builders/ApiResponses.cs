using System.Net;
using System.Text.Json;
using Refit;

namespace EventManagement.Tests.Builders;

/// <summary>
/// Real Refit <see cref="IApiResponse{T}"/> values, as the generated client hands them back. Build a fresh one per
/// call: the gateway disposes every response it receives.
/// </summary>
internal static class ApiResponses
{
    public static readonly RefitSettings Settings = new();

    public static IApiResponse<T> Ok<T>(T content) => Status(HttpStatusCode.OK, content);

    public static IApiResponse<T> Status<T>(HttpStatusCode status, T? content = default) =>
        new ApiResponse<T>(Answer(status), content, Settings);

    public static IApiResponse<T> NotFound<T>() => Status<T>(HttpStatusCode.NotFound);

    /// <summary>
    /// A 200 whose body did not deserialize: Refit reports the problem in <c>Error</c>, not by throwing.
    /// <paramref name="content"/> sets a body anyway, to show that <c>Error</c> alone makes the answer unusable.
    /// </summary>
    public static async Task<IApiResponse<T>> UnreadableBody<T>(T? content = default)
    {
        var answer = Answer(HttpStatusCode.OK);
        var error = await ApiException.Create(
            "Deserialization failed",
            answer.RequestMessage!,
            HttpMethod.Get,
            answer,
            Settings,
            new JsonException("'{' is an invalid end of a JSON object."));
        return new ApiResponse<T>(answer, content, Settings, error);
    }

    /// <summary>No HTTP answer at all: <c>StatusCode</c> is null and <c>Error</c> wraps the transport failure.</summary>
    public static IApiResponse<T> NoAnswer<T>(Exception transportFailure) =>
        new ApiResponse<T>(Request(), null!, default, Settings, RequestFailed(transportFailure));

    /// <summary>What Refit throws (or reports) when <c>HttpClient.SendAsync</c> failed before any answer.</summary>
    public static ApiRequestException RequestFailed(Exception inner) =>
        new(Request(), HttpMethod.Get, Settings, inner);

    // Refit 16 refuses a response that does not carry the request that led to it.
    private static HttpResponseMessage Answer(HttpStatusCode status) => new(status) { RequestMessage = Request() };

    private static HttpRequestMessage Request() => new(HttpMethod.Get, "http://upstream.test/");
}
