using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// The cluster as scripts/cluster.sh runs it: a real nginx from deploy/nginx in front of three Api replicas that share
/// one real Redis and trust nginx's X-Forwarded-For (ForwardedHeaders:KnownProxies=127.0.0.1, the address nginx
/// connects from). Clients are told apart by their loopback address (127.0.0.2, 127.0.0.3, …), each test its own, so
/// that their POST /addEvent budgets (3 per hour, cluster-wide) do not mix. The SIGTERM test takes a replica away, so
/// it runs last.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed partial class NginxClusterTests
{
    private const int Limit = 3;
    private const string NginxAddress = "127.0.0.1";
    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(2);

    private RedisServer? _redis;
    private ServiceProcess? _mockApi;
    private ServiceProcess[] _replicas = [];
    private NginxServer? _nginx;
    private MockApiControl _mock = null!;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        // Both binaries checked before anything starts, so that a missing one skips the fixture at once.
        RequiredBinary.Find("nginx", "nginx");
        _redis = await RedisServer.StartAsync();
        _mockApi = EndToEndServices.StartMockApi(("MockApi__OverloadEnabled", "false"));
        _mock = new MockApiControl(_mockApi);
        _replicas = [.. Enumerable.Range(0, 3).Select(_ => EndToEndServices.StartApi(
            _mockApi,
            ("Cache__Redis", _redis.ConnectionString),
            ("ForwardedHeaders__KnownProxies", NginxAddress),
            ("Security__AddEventRateLimit", Limit.ToString(CultureInfo.InvariantCulture)),
            ("Security__RateLimitWindow", "01:00:00"),
            ("Shutdown__DrainDelay", DrainDelay.ToString("c", CultureInfo.InvariantCulture))))];
        await EndToEndServices.WaitUntilReadyAsync([_mockApi, .. _replicas]);
        _nginx = await NginxServer.StartAsync(_replicas);
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        if (_nginx is not null)
        {
            await _nginx.DisposeAsync();
        }

        // Side by side: each replica drains for 2 s.
        await Task.WhenAll(_replicas.Select(static replica => replica.DisposeAsync().AsTask()));
        _mock?.Dispose();
        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task AddEvent_TwoClientsBehindNginx_AreLimitedSeparatelyAndOnceForTheCluster()
    {
        var first = await PostAsync("127.0.0.2", _nginx!.BaseAddress, Limit + 2);
        var second = await PostAsync("127.0.0.3", _nginx.BaseAddress, Limit + 1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Is.EqualTo(Admitted(Limit, of: Limit + 2)), "127.0.0.2: the limit once, though nginx spread its POSTs over the replicas");
            Assert.That(second, Is.EqualTo(Admitted(Limit, of: Limit + 1)), "127.0.0.3 has its own budget");
            Assert.That(Upstreams("127.0.0.2", "POST /addEvent").Distinct().Count(), Is.GreaterThan(1), "nginx sent 127.0.0.2's POSTs to more than one replica:\n" + _nginx.AccessLog);
        }
    }

    [Test, Order(2)]
    public async Task AddEvent_DirectClientWithForwardedFor_IsLimitedByItsOwnAddress()
    {
        // A new X-Forwarded-For on every POST: if the replica believed it, each would be a new client with a fresh budget.
        var statuses = await PostAsync("127.0.0.4", _replicas[0].BaseAddress, Limit + 2, forwardedFor: i => $"10.0.0.{i + 1}");

        Assert.That(statuses, Is.EqualTo(Admitted(Limit, of: Limit + 2)));
    }

    [Test, Order(3)]
    public async Task AddEvent_ClientWithForwardedForThroughNginx_IsLimitedByTheAddressNginxSaw()
    {
        var statuses = await PostAsync("127.0.0.5", _nginx!.BaseAddress, Limit + 2, forwardedFor: i => $"10.0.1.{i + 1}");

        Assert.That(statuses, Is.EqualTo(Admitted(Limit, of: Limit + 2)));
    }

    [Test, Order(4)]
    public async Task Nginx_ReplicaAnswers503_TriesTheNextReplicaForAGetButNeverForAPost()
    {
        // Every POST /addEvent and every event lookup upstream fails with 503; the replicas answer 503 in turn.
        await _mock.SetFaultsAsync("""{"OverloadEnabled":true,"OverloadSuccessesPerCycle":0,"OverloadFailureDelay":"00:00:00","EventFailureRate":1}""");
        try
        {
            using var client = LoopbackClient.Create("127.0.0.6", _nginx!.BaseAddress);
            using var post = await client.PostEventAsync("Refused upstream");
            using var get = await client.GetAsync("/getEventsByUserId/2");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await post.Content.ReadAsStringAsync());
                Assert.That(Upstreams("127.0.0.6", "POST /addEvent"), Has.Count.EqualTo(1), "the POST reached one replica only:\n" + _nginx.AccessLog);
                Assert.That(get.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await get.Content.ReadAsStringAsync());
                Assert.That(Upstreams("127.0.0.6", "GET /getEventsByUserId/2"), Has.Count.EqualTo(2), "the GET was tried on a second replica:\n" + _nginx.AccessLog);
            }
        }
        finally
        {
            await _mock.ResetAsync();
        }
    }

    [Test, Order(5)]
    public async Task Sigterm_OneReplicaUnderGetLoadThroughNginx_NoRequestFailsAndTheReplicaExitsZero()
    {
        using var http = new HttpClient { BaseAddress = _nginx!.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        // Warm on every replica (through Redis), so that the load measures the hand-over, not the external API.
        for (var i = 0; i < _replicas.Length; i++)
        {
            await http.GetArrayAsync("/getEventsByUserId/1");
        }

        var drained = _replicas[1];
        var failures = new ConcurrentQueue<string>();
        var succeeded = 0;
        var succeededAfterExit = 0;
        var exited = false;
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.GetAsync("/getEventsByUserId/1", CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        continue;
                    }

                    Interlocked.Increment(ref succeeded);
                    if (Volatile.Read(ref exited))
                    {
                        Interlocked.Increment(ref succeededAfterExit);
                    }
                }
                catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue(exception.GetBaseException().Message);
                }
            }
        })).ToArray();

        try
        {
            await WaitUntilAsync(() => Volatile.Read(ref succeeded) >= 50, "50 GETs through nginx before the signal");
            var clock = Stopwatch.StartNew();
            drained.SendSigterm();
            var gone = await drained.WaitForExitAsync(TimeSpan.FromSeconds(20));
            Volatile.Write(ref exited, true);
            TestContext.Out.WriteLine($"replica gone {clock.ElapsedMilliseconds} ms after SIGTERM; {Volatile.Read(ref succeeded)} GETs so far");
            Assert.That(gone, Is.True, "the replica exits within 20 s:\n" + drained.Output);
            // nginx meets the refused port now: the next GETs must still succeed.
            await WaitUntilAsync(() => Volatile.Read(ref succeededAfterExit) >= 50, "50 GETs through nginx after the replica exited");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        TestContext.Out.WriteLine($"{succeeded} GETs, {succeededAfterExit} after the exit, {failures.Count} failed");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty, "no GET through nginx fails");
            Assert.That(drained.ExitCode, Is.Zero, drained.Output);
            Assert.That(drained.Output, Does.Contain("draining for"), "the replica drained");
            Assert.That(Upstreams("127.0.0.1", "GET /getEventsByUserId/1").Distinct(), Does.Contain($"127.0.0.1:{drained.Port}"), "the drained replica served part of the load");
        }
    }

    private static HttpStatusCode[] Admitted(int limit, int of) =>
        [.. Enumerable.Repeat(HttpStatusCode.Created, limit), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, of - limit)];

    /// <summary>POSTs one after another from <paramref name="client"/>; the statuses in order.</summary>
    private static async Task<List<HttpStatusCode>> PostAsync(string client, Uri target, int count, Func<int, string>? forwardedFor = null)
    {
        using var http = LoopbackClient.Create(client, target);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent")
            {
                Content = new StringContent($$"""{"name":"Limited {{client}} {{i}}","userId":"3"}""", Encoding.UTF8, "application/json"),
            };
            if (forwardedFor is not null)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor(i));
            }

            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>
    /// The replicas nginx tried for <paramref name="client"/>'s requests "<paramref name="request"/>", from its access
    /// log: one entry per try, so one request that nginx passed on to a second replica gives two.
    /// </summary>
    private List<string> Upstreams(string client, string request) =>
        [.. _nginx!.AccessLog.Split('\n')
            .Where(line => line.StartsWith($"{client} \"{request} ", StringComparison.Ordinal))
            .SelectMany(static line => AccessLogUpstreams().Match(line).Groups["upstreams"].Value.Split(", "))];

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"not reached within 30 s: {what}");
            }

            await Task.Delay(20);
        }
    }

    [GeneratedRegex(@" upstream=(?<upstreams>.*?) status=")]
    private static partial Regex AccessLogUpstreams();
}
