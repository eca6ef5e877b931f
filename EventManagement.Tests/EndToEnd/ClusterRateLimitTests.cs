using System.Net;
using StackExchange.Redis;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Three real Api processes on one real Redis: a limit of 5 POST /addEvent per window holds for the cluster (5, not
/// 15); with Redis killed each replica counts locally (429s, never a 500); with Redis back the cluster count returns.
/// Each test is its own client (its own loopback address), so their budgets do not mix.
/// </summary>
[Category("EndToEnd")]
[NonParallelizable]
public sealed class ClusterRateLimitTests
{
    private const int Limit = 5;
    private RedisServer _redis = null!;
    private ServiceProcess _mockApi = null!;
    private ServiceProcess[] _replicas = [];
    private int _redisClientsWhenAllConnected;

    [OneTimeSetUp]
    public async Task StartCluster()
    {
        _redis = await RedisServer.StartAsync();
        var ports = ServiceProcess.FreePorts(4);
        _mockApi = EndToEndServices.StartMockApi(ports[0], ("MockApi__OverloadEnabled", "false"));
        _replicas = [.. ports[1..].Select(port => EndToEndServices.StartApi(
            port,
            _mockApi,
            ("Cache__Redis", _redis.ConnectionString),
            ("Security__AddEventRateLimit", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Security__RateLimitWindow", "01:00:00")))];
        await EndToEndServices.WaitUntilReadyAsync([_mockApi, .. _replicas]);
        _redisClientsWhenAllConnected = await ConnectedRedisClientsAsync();
    }

    [OneTimeTearDown]
    public async Task StopCluster()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await _mockApi.DisposeAsync();

        await _redis.DisposeAsync();
    }

    [Test, Order(1)]
    public async Task AddEvent_AcrossThreeReplicas_AdmitsTheLimitOnce()
    {
        var statuses = await PostRoundRobinAsync("127.0.0.11", count: 3 * Limit, _replicas);

        Assert.That(statuses.Count(static status => status == HttpStatusCode.Created), Is.EqualTo(Limit), string.Join(", ", statuses));
        Assert.That(statuses.Skip(Limit), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test, Order(2)]
    public async Task AddEvent_WithRedisKilled_EachReplicaLimitsLocallyAndNothingFails()
    {
        _redis.Stop();

        var first = await PostRoundRobinAsync("127.0.0.12", count: Limit + 1, [_replicas[0]]);
        var second = await PostRoundRobinAsync("127.0.0.12", count: 1, [_replicas[1]]);

        Assert.That(first, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.Created, Limit).Append(HttpStatusCode.TooManyRequests)), "the local limit of replica 1");
        Assert.That(second, Is.EqualTo(new[] { HttpStatusCode.Created }), "replica 2 counts on its own while Redis is away");
        Assert.That(_replicas[0].Output, Does.Contain("limits are counted per replica"));
    }

    [Test, Order(3)]
    public async Task AddEvent_WithRedisBack_HoldsForTheClusterAgainWithoutARestart()
    {
        await _redis.RestartAsync();
        await WaitUntilAllReplicasReconnectAsync();

        var statuses = await PostRoundRobinAsync("127.0.0.13", count: Limit + 3, _replicas);

        Assert.That(statuses, Is.EqualTo(Enumerable.Repeat(HttpStatusCode.Created, Limit).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3))));
    }

    private static async Task<List<HttpStatusCode>> PostRoundRobinAsync(string client, int count, ServiceProcess[] replicas)
    {
        var clients = replicas.Select(replica => LoopbackClient.Create(client, replica.BaseAddress)).ToList();
        try
        {
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < count; i++)
            {
                using var response = await clients[i % clients.Count].PostEventAsync($"Limited {client} {i}");
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.FromMinutes(50)), "Retry-After: the rest of the one-hour window");
                }

                statuses.Add(response.StatusCode);
            }

            return statuses;
        }
        finally
        {
            clients.ForEach(static http => http.Dispose());
        }
    }

    /// <summary>The replicas reconnect by themselves; the test waits until Redis sees as many clients as at the start.</summary>
    private async Task WaitUntilAllReplicasReconnectAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await ConnectedRedisClientsAsync() < _redisClientsWhenAllConnected)
        {
            await Task.Delay(200, patience.Token);
        }
    }

    private async Task<int> ConnectedRedisClientsAsync()
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString + ",allowAdmin=true");
        var info = await connection.GetServer(_redis.ConnectionString).InfoAsync("clients");
        return int.Parse(info.SelectMany(static group => group).First(static pair => pair.Key == "connected_clients").Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
