using System.Net;
using EventManagement.Application.Common;
using EventManagement.Application.Events;
using EventManagement.Application.Overload;
using EventManagement.Application.Resilience;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Unit.Application.Events;

/// <summary>
/// <see cref="EventsService.AddEventAsync"/> with the real circuit breaker and gateway over a mocked Refit client.
/// </summary>
[TestFixture]
public sealed class EventsServiceAddEventTests : ServiceHarnessTestBase
{
    private const string IdPattern = "^[A-Za-z0-9_-]{1,64}$";

    private List<EventContract> _sent = null!;

    [SetUp]
    public void ForgetSentEvents() => _sent = [];

    [Test]
    public async Task AddEventAsync_WithoutIdempotencyKey_SendsTheEventUnderANewIdAndReturnsIt()
    {
        Client.SetupAddEvent(sent: _sent);

        // The controller trims the name before it builds the command (AddEventCommand: "already trimmed").
        var added = await Harness.Events.AddEventAsync(
            new AddEventCommand("Team offsite", "3", "Two days in the mountains.", null),
            CancellationToken.None);

        Assert.That(_sent, Has.Count.EqualTo(1));
        var body = _sent[0];
        Assert.Multiple(() =>
        {
            Assert.That(body.Id, Does.Match(IdPattern));
            Assert.That(body, Is.EqualTo(new EventContract(body.Id, "Team offsite", "3", "Two days in the mountains.")));
            Assert.That(added, Is.EqualTo(new EventDto(body.Id!, "Team offsite", "3", "Two days in the mountains.")));
        });
    }

    [Test]
    public async Task AddEventAsync_CalledTwiceWithoutIdempotencyKey_SendsDifferentIds()
    {
        Client.SetupAddEvent(sent: _sent);
        var command = new AddEventCommand("Team offsite", "3", null, null);

        var first = await Harness.Events.AddEventAsync(command, CancellationToken.None);
        var second = await Harness.Events.AddEventAsync(command, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second.Id, Is.Not.EqualTo(first.Id));
            Assert.That(_sent.Select(e => e.Id), Is.EqualTo(new[] { first.Id, second.Id }));
            Assert.That(_sent.Select(e => e.Id), Has.All.Match(IdPattern));
        });
    }

    [Test]
    public async Task AddEventAsync_WithSameUserAndIdempotencyKey_SendsOnceAndAnswersTheRepeatWithTheSameEvent()
    {
        Client.SetupAddEvent(sent: _sent);
        var command = new AddEventCommand("Team offsite", "3", null, "order-42");

        var first = await Harness.Events.AddEventAsync(command, CancellationToken.None);
        var repeat = await Harness.Events.AddEventAsync(command, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(repeat, Is.EqualTo(first));
            Assert.That(first.Id, Does.Match(IdPattern));
            Assert.That(_sent.Select(e => e.Id), Is.EqualTo(new[] { first.Id }));
        });
    }

    [Test]
    public async Task AddEventAsync_WithDifferentIdempotencyKeys_SendsDifferentIds()
    {
        Client.SetupAddEvent(sent: _sent);

        var first = await Harness.Events.AddEventAsync(new AddEventCommand("Team offsite", "3", null, "order-42"), CancellationToken.None);
        var second = await Harness.Events.AddEventAsync(new AddEventCommand("Team offsite", "3", null, "order-43"), CancellationToken.None);

        Assert.That(second.Id, Is.Not.EqualTo(first.Id));
    }

    [Test]
    public void AddEventAsync_WhenUserAnswers404_ThrowsNotFoundAndLeavesTheBreakerClosed()
    {
        Client.SetupAddEvent(HttpStatusCode.NotFound);
        var command = new AddEventCommand("Team offsite", "404", null, null);

        for (var call = 0; call < 3; call++)
        {
            Assert.That(
                async () => await Harness.Events.AddEventAsync(command, CancellationToken.None),
                Throws.TypeOf<NotFoundException>().With.Property(nameof(NotFoundException.Id)).EqualTo("404"));
        }

        Assert.That(Harness.Breaker.State, Is.EqualTo(CircuitState.Closed));
        Assert.That(
            async () => await Harness.Events.AddEventAsync(command, CancellationToken.None),
            Throws.TypeOf<NotFoundException>());
        Client.Verify(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()), Times.Exactly(4));
    }

    [Test]
    public void AddEventAsync_WhenUpstreamAnswers503_ThrowsUpstreamUnavailable()
    {
        Client.SetupAddEvent(HttpStatusCode.ServiceUnavailable);

        Assert.That(
            async () => await Harness.Events.AddEventAsync(new AddEventCommand("Team offsite", "3", null, null), CancellationToken.None),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.Unavailable));
    }

    [Test]
    public void AddEventAsync_AfterThree503Failures_OpensTheBreakerAndStopsCallingUpstream()
    {
        Client.SetupAddEvent(HttpStatusCode.ServiceUnavailable);
        var command = new AddEventCommand("Team offsite", "3", null, null);
        for (var call = 0; call < 3; call++)
        {
            Assert.That(
                async () => await Harness.Events.AddEventAsync(command, CancellationToken.None),
                Throws.TypeOf<UpstreamException>());
        }

        Assert.That(Harness.Breaker.State, Is.EqualTo(CircuitState.Open));
        Assert.That(
            async () => await Harness.Events.AddEventAsync(command, CancellationToken.None),
            Throws.TypeOf<CircuitOpenException>());
        Client.Verify(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Test]
    public void AddEventAsync_WhenTheCallerCancelsThreeTimes_LeavesTheBreakerClosed()
    {
        var caller = new CancellationTokenSource();
        // The caller gives up mid-call; Refit reports that as an ApiRequestException wrapping the cancellation.
        Client.Setup(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .Callback(() => caller.Cancel())
            .ThrowsAsync(ApiResponses.RequestFailed(new TaskCanceledException()));
        var command = new AddEventCommand("Team offsite", "3", null, null);

        for (var call = 0; call < 3; call++)
        {
            using (caller = new CancellationTokenSource())
            {
                Assert.That(
                    async () => await Harness.Events.AddEventAsync(command, caller.Token),
                    Throws.InstanceOf<OperationCanceledException>());
            }
        }

        Assert.That(Harness.Breaker.State, Is.EqualTo(CircuitState.Closed));
        Client.Verify(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Test]
    public async Task AddEventAsync_WhenTheRequestsDeadlinePassesThreeTimes_CountsTimeoutsAndOpensTheBreaker()
    {
        // An expired deadline is a timeout of the external API, not a caller that went away (compare the test above).
        Client.Setup(c => c.AddEventAsync(It.IsAny<EventContract>(), It.IsAny<CancellationToken>()))
            .Returns(async (EventContract _, CancellationToken token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return ApiResponses.Ok(new AddEventResponseContract(true, null, null));
            });
        var command = new AddEventCommand("Team offsite", "3", null, null);

        for (var call = 0; call < 3; call++)
        {
            // 5 s deadlines: the three timeouts fall within the breaker's 30 s window.
            using var deadline = new RequestDeadline(TimeSpan.FromSeconds(5), Harness.Time, CancellationToken.None);
            RequestDeadline.Current = deadline;
            var adding = Harness.Events.AddEventAsync(command, deadline.Token);
            RequestDeadline.Current = null;
            await WaitUntilCalledAsync(call + 1);
            Harness.Time.Advance(TimeSpan.FromSeconds(5));

            Assert.That(
                async () => await adding.WaitAsync(TimeSpan.FromSeconds(10)),
                Throws.TypeOf<UpstreamException>().With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.TimedOut));
        }

        Assert.That(Harness.Breaker.State, Is.EqualTo(CircuitState.Open));
    }

    private async Task WaitUntilCalledAsync(int calls)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Client.Invocations.Count(i => i.Method.Name == nameof(IExternalEventsApiClient.AddEventAsync)) < calls)
        {
            await Task.Yield();
            guard.Token.ThrowIfCancellationRequested();
        }
    }
}
