using EventManagement.Api.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace EventManagement.Tests.Unit.Api;

/// <summary>Readiness answered from a recent result, single-flight, never with exception text; process state.</summary>
[TestFixture]
public sealed class CachedHealthCheckTests
{
    private FakeTimeProvider _clock = null!;
    private Mock<IHealthCheck> _inner = null!;
    private CachedHealthCheck<IHealthCheck> _check = null!;
    private HealthCheckContext _context = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        _inner = new Mock<IHealthCheck>();
        _check = new CachedHealthCheck<IHealthCheck>(_inner.Object, _clock, NullLogger<IHealthCheck>.Instance);
        _context = new HealthCheckContext
        {
            Registration = new HealthCheckRegistration("external-api", _inner.Object, HealthStatus.Degraded, ["ready"]),
        };
    }

    [Test]
    public async Task CheckHealthAsync_ConcurrentProbes_ShareOneRefresh()
    {
        var gate = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _inner.Setup(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>())).Returns(gate.Task);

        var probes = Enumerable.Range(0, 10).Select(_ => _check.CheckHealthAsync(_context)).ToArray();
        gate.SetResult(HealthCheckResult.Healthy("ok"));
        var results = await Task.WhenAll(probes);

        Assert.That(results.Select(result => result.Status), Has.All.EqualTo(HealthStatus.Healthy));
        _inner.Verify(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>()), Times.Once());
    }

    [Test]
    public async Task CheckHealthAsync_WithinMaxAge_AnswersFromTheLastResultThenRefreshes()
    {
        _inner.Setup(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(HealthCheckResult.Healthy("ok"));

        await _check.CheckHealthAsync(_context);
        _clock.Advance(CachedHealthCheck<IHealthCheck>.MaxAge - TimeSpan.FromMilliseconds(1));
        await _check.CheckHealthAsync(_context);
        _inner.Verify(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>()), Times.Once());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await _check.CheckHealthAsync(_context);
        _inner.Verify(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task CheckHealthAsync_WhenTheCheckThrows_IsItsFailureStatusWithoutTheException()
    {
        _inner.Setup(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("secret host 10.0.0.7"));

        var result = await _check.CheckHealthAsync(_context);

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Degraded));
        Assert.That(result.Exception, Is.Null);
        Assert.That(result.Description, Does.Not.Contain("10.0.0.7"));
    }

    [Test]
    public void CheckHealthAsync_ProbeThatGivesUp_DoesNotCancelTheRefresh()
    {
        var gate = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        CancellationToken seen = default;
        _inner.Setup(check => check.CheckHealthAsync(It.IsAny<HealthCheckContext>(), It.IsAny<CancellationToken>()))
            .Returns((HealthCheckContext _, CancellationToken token) =>
            {
                seen = token;
                return gate.Task;
            });
        using var impatient = new CancellationTokenSource();

        var probe = _check.CheckHealthAsync(_context, impatient.Token);
        impatient.Cancel();

        Assert.That(async () => await probe, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(seen.IsCancellationRequested, Is.False);
        gate.SetResult(HealthCheckResult.Healthy());
    }

    [TestCase(false, false, HealthStatus.Unhealthy)]
    [TestCase(true, false, HealthStatus.Healthy)]
    [TestCase(true, true, HealthStatus.Unhealthy)]
    public async Task ProcessState_StartingRunningStopping_OnlyRunningIsHealthy(bool started, bool stopping, HealthStatus expected)
    {
        using var startedSource = new CancellationTokenSource();
        using var stoppingSource = new CancellationTokenSource();
        if (started)
        {
            startedSource.Cancel();
        }

        if (stopping)
        {
            stoppingSource.Cancel();
        }

        var lifetime = new Mock<IHostApplicationLifetime>();
        lifetime.SetupGet(l => l.ApplicationStarted).Returns(startedSource.Token);
        lifetime.SetupGet(l => l.ApplicationStopping).Returns(stoppingSource.Token);

        var result = await new ProcessStateHealthCheck(lifetime.Object).CheckHealthAsync(_context);

        Assert.That(result.Status, Is.EqualTo(expected));
    }
}
