using System.Diagnostics.Metrics;
using EventManagement.Application.Diagnostics;
using EventManagement.Application.Events;
using EventManagement.Application.Idempotency;
using EventManagement.Application.Overload;
using EventManagement.Application.Resilience;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.Caching;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Infrastructure.Idempotency;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace EventManagement.Tests.Builders;

/// <summary>
/// The real services, circuit breaker, call budget (with admission), gateway and the port's decorators (shared reads,
/// cache) over a mocked Refit client: everything above the HTTP pipeline, composed as AddInfrastructure composes it.
/// Dispose it in TearDown (it owns the HybridCache's service provider).
/// </summary>
internal sealed class ServiceHarness : IDisposable
{
    private readonly ServiceProvider _provider;

    public ServiceHarness(
        Mock<IExternalEventsApiClient> client,
        EventFetchOptions? fetchOptions = null,
        Func<HybridCache, HybridCache>? decorateCache = null,
        int maxConcurrentCalls = 512,
        RequestOptions? requestOptions = null)
    {
        var fetch = Options.Create(fetchOptions ?? new EventFetchOptions());
        var services = new ServiceCollection();
        // As AddApplication registers it: a size limit makes the memory cache refuse entries without a size.
        services.AddMemoryCache(memory => memory.SizeLimit = fetch.Value.CacheSizeLimitBytes);
        services.AddHybridCache();
        services.AddMetrics();
        _provider = services.BuildServiceProvider();

        Breaker = new CircuitBreaker(Options.Create(new CircuitBreakerOptions()), Time, NullLogger<CircuitBreaker>.Instance);
        var metrics = new EventManagementMetrics(_provider.GetRequiredService<IMeterFactory>(), Breaker);
        Gateway = new ExternalEventsGateway(client.Object, metrics, Time, NullLogger<ExternalEventsGateway>.Instance);
        Budget = new FairConcurrencyLimiter(maxConcurrentCalls, maxWaiting: 100_000);
        var overloadMetrics = new OverloadMetrics(_provider.GetRequiredService<IMeterFactory>(), Budget);
        Admission = new AdmissionController(
            Budget,
            Options.Create(requestOptions ?? new RequestOptions()),
            Time,
            overloadMetrics,
            NullLogger<AdmissionController>.Instance);
        var api = new BudgetedExternalEventsApi(Gateway, Budget, Admission, overloadMetrics, Time);

        var cache = _provider.GetRequiredService<HybridCache>();
        var cached = new CachedExternalEventsApi(api, decorateCache?.Invoke(cache) ?? cache, fetch, NullLogger<CachedExternalEventsApi>.Instance);
        var port = new SharedReadsExternalEventsApi(cached, metrics);
        Users = new UsersService(port);
        var idempotency = Options.Create(new IdempotencyOptions());
        IdempotencyStore = new MemoryIdempotencyStore(idempotency, Time);
        var guard = new IdempotencyGuard(IdempotencyStore, idempotency, NullLogger<IdempotencyGuard>.Instance);
        Events = new EventsService(port, Users, Breaker, Admission, guard, fetch);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));

    public CircuitBreaker Breaker { get; }

    /// <summary>The in-memory Idempotency-Key store, judged by <see cref="Time"/>.</summary>
    public MemoryIdempotencyStore IdempotencyStore { get; }

    public ExternalEventsGateway Gateway { get; }

    /// <summary>The process-wide call budget in front of the gateway.</summary>
    public FairConcurrencyLimiter Budget { get; }

    public AdmissionController Admission { get; }

    public EventsService Events { get; }

    public UsersService Users { get; }

    public void Dispose()
    {
        IdempotencyStore.Dispose();
        _provider.Dispose();
    }
}
