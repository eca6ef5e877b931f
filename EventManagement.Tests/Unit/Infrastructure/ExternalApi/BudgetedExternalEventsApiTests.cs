using System.Diagnostics.Metrics;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Overload;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.ExternalApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace EventManagement.Tests.Unit.Infrastructure.ExternalApi;

/// <summary>The call budget's decorator: the readiness probe's check never queues behind a burst.</summary>
[TestFixture]
public sealed class BudgetedExternalEventsApiTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Test]
    public async Task CheckReachableAsync_WhileEverySlotIsTakenAndCallsWait_ReachesTheApiAtOnce()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var budget = new FairConcurrencyLimiter(1, maxWaiting: 100);
        var metrics = new OverloadMetrics(services.GetRequiredService<IMeterFactory>(), budget);
        var admission = new AdmissionController(
            budget, Options.Create(new RequestOptions()), TimeProvider.System, metrics, NullLogger<AdmissionController>.Instance);
        var inner = new Mock<IExternalEventsApi>();
        inner.Setup(api => api.GetUsersAsync(It.IsAny<CancellationToken>())).ReturnsAsync(Array.Empty<UserDto>());
        var api = new BudgetedExternalEventsApi(inner.Object, budget, admission, metrics, TimeProvider.System);

        using var held = await budget.AcquireAsync(new object(), CancellationToken.None);
        var queued = api.GetUsersAsync(CancellationToken.None);
        Assert.That(budget.Waiting, Is.EqualTo(1));

        await api.CheckReachableAsync(CancellationToken.None).WaitAsync(Guard);

        inner.Verify(api => api.CheckReachableAsync(It.IsAny<CancellationToken>()), Times.Once());
        Assert.That(queued.IsCompleted, Is.False, "the burst still waits");
        held.Dispose();
        await queued.WaitAsync(Guard);
    }
}
