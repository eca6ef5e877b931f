using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>
/// Random connection drops. The fixture runs with a seeded rate of 0.5, so every sequence is reproducible;
/// tests that need "always" or "never" set the rate through PUT /__admin/faults.
/// </summary>
[TestFixture]
public sealed class MockApiRandomDropTests : MockApiTestBase
{
    private protected override MockApiFactory CreateFactory() =>
        new(("MockApi:RandomFailureRate", "0.5"), ("MockApi:RandomSeed", "2024"));

    [TestCase("/getUsers")]
    [TestCase("/getEvents")]
    public async Task Get_RateOne_DropsTheConnectionWithoutAResponse(string path)
    {
        using var put = await Client.PutFaultsAsync("""{ "RandomFailureRate": 1 }""");

        // The test server reports HttpContext.Abort() this way; over a real socket it is an HttpRequestException
        // (see MockApiProcessTests).
        Assert.That(() => Client.GetAsync(path),
            Throws.InstanceOf<OperationCanceledException>().With.Message.EqualTo("The application aborted the request."));
    }

    [TestCase("/getUsers")]
    [TestCase("/getEvents")]
    public async Task Get_RateZero_NeverDrops(string path)
    {
        using var put = await Client.PutFaultsAsync("""{ "RandomFailureRate": 0 }""");

        for (var call = 0; call < 100; call++)
        {
            using var response = await Client.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"call {call}");
        }
    }

    [Test]
    public async Task OtherRoutes_RateOne_NeverDrop()
    {
        using var put = await Client.PutFaultsAsync("""{ "RandomFailureRate": 1, "EventDelay": "00:00:00" }""");

        using var user = await Client.GetAsync("/getUserById/1");
        using var mockEvent = await Client.GetAsync("/getEventById/event-1");
        using var added = await Client.AddEventAsync("new-1");
        using var health = await Client.GetAsync("/healthz");

        Assert.That(new[] { user.StatusCode, mockEvent.StatusCode, added.StatusCode, health.StatusCode },
            Is.All.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task GetUsers_SeededRate_RepeatsTheSameSequenceAfterReset()
    {
        var first = await RecordDropsAsync("/getUsers", calls: 40);
        await Client.ResetMockApiAsync();
        var second = await RecordDropsAsync("/getUsers", calls: 40);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first, Does.Contain(true).And.Contain(false), "a rate of 0.5 both drops and answers");
        }
    }

    [Test]
    public async Task PutFaults_SameSeedAgain_RestartsTheSequence()
    {
        var first = await RecordDropsAsync("/getEvents", calls: 40);
        using var put = await Client.PutFaultsAsync("""{ "randomSeed": 2024 }""");
        var second = await RecordDropsAsync("/getEvents", calls: 40);

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public async Task Drops_AreCountedAsDeliberateFailures()
    {
        var drops = await RecordDropsAsync("/getUsers", calls: 40);

        using var stats = await Client.GetAsync("/__admin/stats");
        var counts = (await stats.ReadJsonAsync())!["routes"]!["GET /getUsers"]!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts["calls"]!.GetValue<long>(), Is.EqualTo(40));
            Assert.That(counts["failures"]!.GetValue<long>(), Is.EqualTo(drops.Count(dropped => dropped)));
        }
    }

    private async Task<List<bool>> RecordDropsAsync(string path, int calls)
    {
        var drops = new List<bool>();
        for (var call = 0; call < calls; call++)
        {
            try
            {
                using var response = await Client.GetAsync(path);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                drops.Add(false);
            }
            catch (OperationCanceledException)
            {
                drops.Add(true);
            }
        }

        return drops;
    }
}
