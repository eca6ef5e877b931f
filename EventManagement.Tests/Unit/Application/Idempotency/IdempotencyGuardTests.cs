using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Events;
using EventManagement.Application.Idempotency;
using EventManagement.Application.Resilience;
using EventManagement.Infrastructure.Idempotency;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace EventManagement.Tests.Unit.Application.Idempotency;

/// <summary>The Idempotency-Key rules over the real in-memory store, with a fake clock and a recorded "external API".</summary>
[TestFixture]
public sealed class IdempotencyGuardTests
{
    private static readonly IdempotencyOptions Settings = new();

    private FakeTimeProvider _clock = null!;
    private MemoryIdempotencyStore _store = null!;
    private IdempotencyGuard _guard = null!;
    private List<EventDto> _sent = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        _store = new MemoryIdempotencyStore(Options.Create(Settings), _clock);
        _guard = new IdempotencyGuard(_store, Options.Create(Settings), NullLogger<IdempotencyGuard>.Instance);
        _sent = [];
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public async Task AddOnceAsync_Repeated_CallsUpstreamOnceAndGivesTheFirstEvent()
    {
        var first = await _guard.AddOnceAsync(Command(), Added, CancellationToken.None);
        var repeat = await _guard.AddOnceAsync(Command(), Added, CancellationToken.None);

        Assert.That(repeat, Is.EqualTo(first));
        Assert.That(_sent, Is.EqualTo(new[] { first }));
    }

    [Test]
    public async Task AddOnceAsync_SameKeyWithAnotherBody_ThrowsReusedWithoutCallingUpstream()
    {
        await _guard.AddOnceAsync(Command(name: "First"), Added, CancellationToken.None);

        Assert.That(
            async () => await _guard.AddOnceAsync(Command(name: "Second"), Added, CancellationToken.None),
            Throws.TypeOf<IdempotencyKeyReusedException>());
        Assert.That(_sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AddOnceAsync_SameKeyForAnotherUser_IsAnotherRecordAndAnotherEvent()
    {
        var forUser1 = await _guard.AddOnceAsync(Command(userId: "1"), Added, CancellationToken.None);
        var forUser2 = await _guard.AddOnceAsync(Command(userId: "2"), Added, CancellationToken.None);

        Assert.That(forUser2.Id, Is.Not.EqualTo(forUser1.Id));
        Assert.That(_sent, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task AddOnceAsync_WhileTheFirstIsInFlight_ThrowsInFlightForTheSameBodyAndReusedForAnother()
    {
        var gate = new TaskCompletionSource<AddEventResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = _guard.AddOnceAsync(Command(), (_, _) => gate.Task, CancellationToken.None);

        Assert.That(async () => await _guard.AddOnceAsync(Command(), Added, CancellationToken.None), Throws.TypeOf<IdempotencyKeyInFlightException>());
        Assert.That(async () => await _guard.AddOnceAsync(Command(name: "Other"), Added, CancellationToken.None), Throws.TypeOf<IdempotencyKeyReusedException>());

        gate.SetResult(AddEventResult.Added);
        var added = await first;
        Assert.That(await _guard.AddOnceAsync(Command(), Added, CancellationToken.None), Is.EqualTo(added));
        Assert.That(_sent, Is.Empty, "neither refused request reached upstream");
    }

    [Test]
    public async Task AddOnceAsync_WhenTheFirstNeverEnds_FreesTheKeyAfterTheInFlightTimeoutNotTheRetention()
    {
        var never = new TaskCompletionSource<AddEventResult>();
        _ = _guard.AddOnceAsync(Command(), (_, _) => never.Task, CancellationToken.None);

        _clock.Advance(Settings.InFlightTimeout - TimeSpan.FromMilliseconds(1));
        Assert.That(async () => await _guard.AddOnceAsync(Command(), Added, CancellationToken.None), Throws.TypeOf<IdempotencyKeyInFlightException>());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var added = await _guard.AddOnceAsync(Command(), Added, CancellationToken.None);
        Assert.That(_sent, Is.EqualTo(new[] { added }));
    }

    private static IEnumerable<TestCaseData> NonFinalFailures()
    {
        yield return new TestCaseData(new UpstreamException(UpstreamFailureKind.Unavailable, "503 through the retries")).SetName("UpstreamUnavailable");
        yield return new TestCaseData(new UpstreamException(UpstreamFailureKind.TimedOut, "timed out")).SetName("UpstreamTimedOut");
        yield return new TestCaseData(new CircuitOpenException(TimeSpan.FromSeconds(15))).SetName("BreakerOpen");
        yield return new TestCaseData(new OperationCanceledException()).SetName("CallerGaveUp");
    }

    [TestCaseSource(nameof(NonFinalFailures))]
    public async Task AddOnceAsync_WhenTheFirstGetsNoFinalAnswer_LetsTheRetryThroughAtOnce(Exception failure)
    {
        Assert.That(
            async () => await _guard.AddOnceAsync(Command(), (_, _) => Task.FromException<AddEventResult>(failure), CancellationToken.None),
            Throws.TypeOf(failure.GetType()));

        var added = await _guard.AddOnceAsync(Command(), Added, CancellationToken.None);

        Assert.That(_sent, Is.EqualTo(new[] { added }), "the key was not kept for the failure");
    }

    [Test]
    public async Task AddOnceAsync_WhenTheUserIsUnknown_KeepsThe404AndReplaysItWithoutCallingUpstream()
    {
        var calls = 0;
        Task<AddEventResult> UserNotFound(EventDto _, CancellationToken __)
        {
            calls++;
            return Task.FromResult(AddEventResult.UserNotFound);
        }

        for (var i = 0; i < 2; i++)
        {
            Assert.That(
                async () => await _guard.AddOnceAsync(Command(userId: "999"), UserNotFound, CancellationToken.None),
                Throws.TypeOf<NotFoundException>());
        }

        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public async Task AddOnceAsync_AfterTheRetention_ForgetsTheAnswerButTheSameBodyKeepsItsId()
    {
        var first = await _guard.AddOnceAsync(Command(), Added, CancellationToken.None);
        _clock.Advance(Settings.Retention);

        var again = await _guard.AddOnceAsync(Command(), Added, CancellationToken.None);
        var other = await _guard.AddOnceAsync(Command(key: "k2", name: "Other"), Added, CancellationToken.None);

        Assert.That(again.Id, Is.EqualTo(first.Id), "same user, key and body: same id, so upstream stores it once");
        Assert.That(_sent, Has.Count.EqualTo(3));
        Assert.That(other.Id, Is.Not.EqualTo(first.Id));
    }

    [Test]
    public async Task AddOnceAsync_WhenTheStoreIsDown_AddsWithADerivedIdSoAnotherBodyIsAnotherEvent()
    {
        var down = new Mock<IIdempotencyStore>();
        down.Setup(store => store.TryClaimAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new IdempotencyStoreUnavailableException("Redis is down"));
        var guard = new IdempotencyGuard(down.Object, Options.Create(Settings), NullLogger<IdempotencyGuard>.Instance);

        var first = await guard.AddOnceAsync(Command(), Added, CancellationToken.None);
        var repeat = await guard.AddOnceAsync(Command(), Added, CancellationToken.None);
        var other = await guard.AddOnceAsync(Command(name: "Other"), Added, CancellationToken.None);

        Assert.That(repeat.Id, Is.EqualTo(first.Id), "a repeat is stored once upstream (same id)");
        Assert.That(other.Id, Is.Not.EqualTo(first.Id), "never a 201 for an event that was not stored");
        Assert.That(other.Name, Is.EqualTo("Other"));
    }

    [Test]
    public void RequestFingerprint_DependsOnEveryFieldAndTellsAbsentDetailsFromEmpty()
    {
        var fingerprints = new[]
        {
            RequestFingerprint.Of(Command()),
            RequestFingerprint.Of(Command(name: "Other")),
            RequestFingerprint.Of(Command(userId: "4")),
            RequestFingerprint.Of(Command() with { Details = string.Empty }),
            RequestFingerprint.Of(Command() with { Details = "x" }),
        };

        Assert.That(fingerprints, Is.Unique);
        Assert.That(RequestFingerprint.Of(Command() with { IdempotencyKey = "other" }), Is.EqualTo(fingerprints[0]), "the key is not part of the request");
    }

    private static AddEventCommand Command(string name = "Team offsite", string userId = "3", string key = "order-42") =>
        new(name, userId, null, key);

    private Task<AddEventResult> Added(EventDto newEvent, CancellationToken cancellationToken)
    {
        _sent.Add(newEvent);
        return Task.FromResult(AddEventResult.Added);
    }
}
