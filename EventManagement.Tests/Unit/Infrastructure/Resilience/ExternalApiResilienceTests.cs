using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EventManagement.Application;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Events;
using EventManagement.Infrastructure;
using EventManagement.Tests.Builders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace EventManagement.Tests.Unit.Infrastructure.Resilience;

/// <summary>
/// The real HTTP pipeline as <c>AddApplication</c> and <c>AddInfrastructure</c> build it (Refit's generated client,
/// the resilience handler, the gateway), with only the primary handler swapped for a scripted fake.
/// </summary>
[TestFixture]
public sealed class ExternalApiResilienceTests
{
    private const string Added = """{"success":true}""";
    private const string Overloaded = """{"success":false,"error":"Service temporarily unavailable","message":"Event API is experiencing high load"}""";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private static readonly EventDto NewEvent = new("evt-0123456789abcdef", "Launch", "3", "Rooftop");

    private FakeUpstreamHandler _upstream = null!;
    private ServiceProvider _provider = null!;
    private IExternalEventsApi _api = null!;

    [SetUp]
    public void SetUp()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ExternalApi:BaseUrl"] = "http://upstream.test",
                ["ExternalApi:MaxRetries"] = "2",
                ["ExternalApi:RetryBaseDelay"] = "00:00:00.001",
            })
            .Build();
        _upstream = new FakeUpstreamHandler();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddApplication(configuration).AddInfrastructure(configuration);
        // Registered after AddInfrastructure, so it runs after its ConfigurePrimaryHttpMessageHandler and wins.
        services.ConfigureAll<HttpClientFactoryOptions>(options =>
            options.HttpMessageHandlerBuilderActions.Add(builder => builder.PrimaryHandler = _upstream));
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _api = _provider.GetRequiredService<IExternalEventsApi>();
    }

    [TearDown]
    public void TearDown()
    {
        _provider.Dispose();
        _upstream.Dispose();
    }

    [Test]
    public async Task AddEventAsync_When503Then200_SucceedsOnTheRetryResendingTheSameBody()
    {
        _upstream.ThenAnswer(HttpStatusCode.ServiceUnavailable, Overloaded).ThenAnswer(HttpStatusCode.OK, Added);

        var result = await _api.AddEventAsync(NewEvent, CancellationToken.None).WaitAsync(Guard);

        var attempts = _upstream.Requests;
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(AddEventResult.Added));
            Assert.That(attempts, Has.Count.EqualTo(2));
            Assert.That(attempts.Select(a => a.Path), Has.All.EqualTo("/addEvent"));
            Assert.That(attempts[0].Body, Does.Contain("\"id\":\"evt-0123456789abcdef\""));
            Assert.That(attempts[1].Body, Is.EqualTo(attempts[0].Body));
        });
    }

    [Test]
    public void AddEventAsync_WhenUpstreamKeepsAnswering503_ThrowsUnavailableAfterThreeAttempts()
    {
        _upstream.ThenAnswer(HttpStatusCode.ServiceUnavailable, Overloaded)
            .ThenAnswer(HttpStatusCode.ServiceUnavailable, Overloaded)
            .ThenAnswer(HttpStatusCode.ServiceUnavailable, Overloaded)
            .ThenAnswer(HttpStatusCode.OK, Added); // a fourth attempt would wrongly succeed

        Assert.That(
            async () => await _api.AddEventAsync(NewEvent, CancellationToken.None).WaitAsync(Guard),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.Unavailable));
        Assert.That(_upstream.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task AddEventAsync_WhenUserAnswers404_DoesNotRetry()
    {
        _upstream.ThenAnswer(HttpStatusCode.NotFound, """{"success":false,"error":"User not found"}""")
            .ThenAnswer(HttpStatusCode.OK, Added);

        var result = await _api.AddEventAsync(NewEvent, CancellationToken.None).WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(AddEventResult.UserNotFound));
            Assert.That(_upstream.Requests, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task GetEventByIdAsync_WhenEventAnswers404_DoesNotRetry()
    {
        _upstream.ThenAnswer(HttpStatusCode.NotFound, """{"error":"Event not found"}""")
            .ThenAnswer(HttpStatusCode.OK, """{"id":"event-9","name":"Event 9","userId":"1"}""");

        var found = await _api.GetEventByIdAsync("event-9", CancellationToken.None).WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.Null);
            Assert.That(_upstream.Requests.Select(a => a.Path), Is.EqualTo(new[] { "/getEventById/event-9" }));
        });
    }

    [Test]
    public async Task AddEventAsync_WhenConnectionFailsOnce_SucceedsOnTheRetry()
    {
        _upstream.ThenThrow(ConnectionRefused()).ThenAnswer(HttpStatusCode.OK, Added);

        var result = await _api.AddEventAsync(NewEvent, CancellationToken.None).WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(AddEventResult.Added));
            Assert.That(_upstream.Requests, Has.Count.EqualTo(2));
            Assert.That(_upstream.Requests[1].Body, Is.EqualTo(_upstream.Requests[0].Body));
        });
    }

    [Test]
    public void GetUsersAsync_WhenConnectionKeepsFailing_ThrowsUnavailableAfterThreeAttempts()
    {
        _upstream.ThenThrow(ConnectionRefused()).ThenThrow(ConnectionRefused()).ThenThrow(ConnectionRefused());

        Assert.That(
            async () => await _api.GetUsersAsync(CancellationToken.None).WaitAsync(Guard),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.Unavailable));
        Assert.That(_upstream.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public void GetEventByIdAsync_WhenConnectKeepsTimingOut_ThrowsTimedOutAfterThreeAttempts()
    {
        // SocketsHttpHandler's ConnectTimeout throws a cancellation nobody asked for, with a TimeoutException inside.
        _upstream.ThenTimeOutConnecting().ThenTimeOutConnecting().ThenTimeOutConnecting();

        Assert.That(
            async () => await _api.GetEventByIdAsync("event-1", CancellationToken.None).WaitAsync(Guard),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.TimedOut));
        Assert.That(_upstream.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task AddEventAsync_When429AsksToRetryInAnHour_RetriesAfterTheSmallBackoff()
    {
        _upstream.ThenAnswer(HttpStatusCode.TooManyRequests, Overloaded, response => response.Headers.Add("Retry-After", "3600"))
            .ThenAnswer(HttpStatusCode.OK, Added);

        var result = await _api.AddEventAsync(NewEvent, CancellationToken.None).WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(result, Is.EqualTo(AddEventResult.Added));
            Assert.That(_upstream.Requests, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task AddEventAsync_Always_SendsTheBodyBufferedWithAContentLength()
    {
        _upstream.ThenAnswer(HttpStatusCode.OK, Added);

        await _api.AddEventAsync(NewEvent, CancellationToken.None).WaitAsync(Guard);

        var attempt = _upstream.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(attempt.Method, Is.EqualTo(HttpMethod.Post));
            Assert.That(attempt.Chunked, Is.False);
            Assert.That(attempt.ContentLength, Is.EqualTo(Encoding.UTF8.GetByteCount(attempt.Body!)));
            Assert.That(attempt.Body, Is.EqualTo("""{"id":"evt-0123456789abcdef","name":"Launch","userId":"3","details":"Rooftop"}"""));
        });
    }

    [Test]
    public async Task CheckReachableAsync_WhenTheRootAnswers503Once_CountsTheRetryUnderTheRouteSlash()
    {
        _upstream.ThenAnswer(HttpStatusCode.ServiceUnavailable, Overloaded).ThenAnswer(HttpStatusCode.OK);
        var retriedRoutes = new List<string?>();
        using var listener = ListenToRetries(retriedRoutes);

        await _api.CheckReachableAsync(CancellationToken.None).WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(_upstream.Requests.Select(a => a.Path), Is.EqualTo(new[] { "/", "/" }));
            Assert.That(retriedRoutes, Is.EqualTo(new[] { "/" }), "the readiness ping's retry is named, not counted under an empty route");
        });
    }

    [Test]
    public async Task GetEventByIdAsync_When503Once_CountsTheRetryUnderTheFirstPathSegment()
    {
        _upstream.ThenAnswer(HttpStatusCode.ServiceUnavailable, Overloaded)
            .ThenAnswer(HttpStatusCode.OK, """{"id":"event-1","name":"Launch","userId":"3"}""");
        var retriedRoutes = new List<string?>();
        using var listener = ListenToRetries(retriedRoutes);

        await _api.GetEventByIdAsync("event-1", CancellationToken.None).WaitAsync(Guard);

        Assert.That(retriedRoutes, Is.EqualTo(new[] { "getEventById" }));
    }

    // The "route" tag of every retry this test's pipeline counts (other tests create meters of the same name).
    private MeterListener ListenToRetries(List<string?> routes)
    {
        var meterFactory = _provider.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, meterListener) =>
            {
                if (instrument.Name == "eventmanagement.upstream.retries" && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    meterListener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "route")
                {
                    lock (routes)
                    {
                        routes.Add(tag.Value as string);
                    }
                }
            }
        });
        listener.Start();
        return listener;
    }

    private static HttpRequestException ConnectionRefused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (upstream.test:80)", new SocketException((int)SocketError.ConnectionRefused));
}
