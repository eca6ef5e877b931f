using System.Net;
using Refit;

namespace EventManagement.Tests.Integration.Api;

/// <summary>Ready-made answers for a mocked Refit client.</summary>
internal static class RefitResponses
{
    public static Task<IApiResponse<T>> Ok<T>(T content) => With(HttpStatusCode.OK, content);

    public static Task<IApiResponse<T>> Status<T>(HttpStatusCode status) => With<T>(status, default);

    private static Task<IApiResponse<T>> With<T>(HttpStatusCode status, T? content) =>
        Task.FromResult<IApiResponse<T>>(new ApiResponse<T>(new HttpResponseMessage(status) { RequestMessage = new HttpRequestMessage() }, content, new RefitSettings()));
}
