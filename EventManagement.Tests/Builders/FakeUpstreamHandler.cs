using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace EventManagement.Tests.Builders;

/// <summary>
/// A primary <see cref="HttpMessageHandler"/> that plays a script of answers (or transport failures), one per
/// attempt, and records every attempt it saw, body included.
/// </summary>
internal sealed class FakeUpstreamHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpResponseMessage>> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public FakeUpstreamHandler ThenAnswer(HttpStatusCode status, string json = "{}", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue(() =>
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            configure?.Invoke(response);
            return response;
        });
        return this;
    }

    public FakeUpstreamHandler ThenThrow(Exception transportFailure)
    {
        _script.Enqueue(() => throw transportFailure);
        return this;
    }

    /// <summary>
    /// The attempt fails the way a real <see cref="SocketsHttpHandler"/> fails when its <c>ConnectTimeout</c>
    /// elapses: a real handler whose connection never opens, with a 1 ms connect timeout. (The exception's shape,
    /// down to its <c>Source</c>, decides whether Polly treats it as transient.)
    /// </summary>
    public FakeUpstreamHandler ThenTimeOutConnecting()
    {
        _script.Enqueue(() => throw new ConnectTimeoutMarker());
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Read the length before the body: reading buffers the content, which would then report a length anyway.
        var contentLength = request.Content?.Headers.ContentLength;
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        _requests.Enqueue(new RecordedRequest(
            request.Method,
            request.RequestUri!.AbsolutePath,
            body,
            contentLength,
            request.Headers.TransferEncodingChunked == true));

        if (!_script.TryDequeue(out var next))
        {
            throw new InvalidOperationException($"Unscripted attempt {_requests.Count} at {request.RequestUri}.");
        }

        HttpResponseMessage response;
        try
        {
            response = next();
        }
        catch (ConnectTimeoutMarker)
        {
            using var neverConnects = new SocketsHttpHandler
            {
                UseProxy = false,
                ConnectTimeout = TimeSpan.FromMilliseconds(1),
                ConnectCallback = static async (_, token) =>
                {
                    await Task.Delay(Timeout.Infinite, token);
                    throw new UnreachableException();
                },
            };
            using var invoker = new HttpMessageInvoker(neverConnects);
            return await invoker.SendAsync(request, cancellationToken);
        }

        response.RequestMessage = request;
        return response;
    }

    private sealed class ConnectTimeoutMarker : Exception;

    /// <summary>One attempt as the external API would have received it.</summary>
    internal sealed record RecordedRequest(HttpMethod Method, string Path, string? Body, long? ContentLength, bool Chunked);
}
