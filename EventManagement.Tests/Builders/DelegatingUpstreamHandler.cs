namespace EventManagement.Tests.Builders;

/// <summary>A primary <see cref="HttpMessageHandler"/> that answers every attempt with a function of the test's.</summary>
internal sealed class DelegatingUpstreamHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
    : HttpMessageHandler
{
    private int _attempts;

    /// <summary>Attempts received so far.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        return answer(request, cancellationToken);
    }
}
