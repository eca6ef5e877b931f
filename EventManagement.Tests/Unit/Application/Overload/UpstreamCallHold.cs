using System.Threading.Channels;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;
using Refit;

namespace EventManagement.Tests.Unit.Application.Overload;

/// <summary>
/// Event lookups of a mocked Refit client that hang until the test answers them, one by one, in the order they
/// reached the client; records which ids were sent and whether their tokens were cancelled.
/// </summary>
internal sealed class UpstreamCallHold
{
    private readonly Channel<HeldLookup> _sent = Channel.CreateUnbounded<HeldLookup>();
    private int _count;

    public UpstreamCallHold(Mock<IExternalEventsApiClient> client) =>
        client.Setup(c => c.GetEventByIdAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string id, CancellationToken token) =>
            {
                Interlocked.Increment(ref _count);
                var lookup = new HeldLookup(id, token);
                _sent.Writer.TryWrite(lookup);
                return lookup.Answer.Task;
            });

    /// <summary>Lookups that reached the client so far.</summary>
    public int Sent => Volatile.Read(ref _count);

    /// <summary>The next lookup that reaches the client.</summary>
    public ValueTask<HeldLookup> NextAsync(CancellationToken cancellationToken) => _sent.Reader.ReadAsync(cancellationToken);

    /// <summary>Every lookup that has reached the client and not been taken yet.</summary>
    public List<HeldLookup> Drain()
    {
        var lookups = new List<HeldLookup>();
        while (_sent.Reader.TryRead(out var lookup))
        {
            lookups.Add(lookup);
        }

        return lookups;
    }
}

/// <summary>One lookup held by <see cref="UpstreamCallHold"/>.</summary>
internal sealed class HeldLookup(string id, CancellationToken token)
{
    public string Id { get; } = id;

    public CancellationToken Token { get; } = token;

    public TaskCompletionSource<IApiResponse<EventContract>> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Found() => Answer.TrySetResult(ApiResponses.Ok(RefitClientMock.Event(Id)));
}
