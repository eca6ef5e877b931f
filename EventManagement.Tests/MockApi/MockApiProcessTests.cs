using System.Net;
using EventManagement.Tests.EndToEnd;

namespace EventManagement.Tests.MockApi;

/// <summary>The MockApi as a real process on a real port (the other fixtures use the in-memory test server).</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class MockApiProcessTests
{
    private ServiceProcess _mockApi = null!;
    private HttpClient _client = null!;
    private int _port;

    [OneTimeSetUp]
    public async Task StartMockApiAsync()
    {
        _mockApi = ServiceProcess.Start("EventManagement.MockApi", new Dictionary<string, string> { ["MockApi__RandomFailureRate"] = "1" });
        _port = _mockApi.Port;
        await _mockApi.WaitUntilHealthyAsync();
        _client = new HttpClient { BaseAddress = _mockApi.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task StopMockApiAsync()
    {
        _client.Dispose();
        await _mockApi.DisposeAsync();
    }

    [Test]
    public async Task Healthz_OnThePortFromPort_AnswersWithoutServerHeader()
    {
        using var response = await _client.GetAsync("/healthz");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Headers.Server, Is.Empty);
        }
    }

    [Test]
    public void GetUsers_RateOne_ResetsTheConnectionWithoutAResponse()
    {
        Assert.That(() => _client.GetAsync("/getUsers"), Throws.InstanceOf<HttpRequestException>());
    }

    [Test]
    public async Task Main_PortInUse_ExitsWithOneAndOneErrorLineSayingSo()
    {
        await using var second = ServiceProcess.Start("EventManagement.MockApi", port: _port);

        Assert.That(await second.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, second.Output);
        var exitCode = second.ExitCode;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            // The seed is loaded before Kestrel binds, so its line comes first; the error is the only other one.
            Assert.That(second.OutputLines.Where(line => line.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal)),
                Has.One.Contains("address already in use"), string.Join(Environment.NewLine, second.OutputLines));
        }
    }
}
