using System.Globalization;
using System.Net;

namespace EventManagement.Tests.MockApi;

/// <summary>The MockApi as a real process on a real port (the other fixtures use the in-memory test server).</summary>
[TestFixture]
public sealed class MockApiProcessTests
{
    private MockApiProcess _mockApi = null!;
    private HttpClient _client = null!;
    private int _port;

    [OneTimeSetUp]
    public async Task StartMockApiAsync()
    {
        _port = MockApiProcess.FreePort();
        var port = _port.ToString(CultureInfo.InvariantCulture);
        _mockApi = MockApiProcess.Start(("PORT", port), ("MockApi__RandomFailureRate", "1"));
        await _mockApi.WaitForOutputAsync($"MockApi listening on port {port}");
        _client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
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
        await using var second = MockApiProcess.Start(("PORT", _port.ToString(CultureInfo.InvariantCulture)));

        var exitCode = await second.WaitForExitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            // The seed is loaded before Kestrel binds, so its line comes first; the error is the only other one.
            Assert.That(second.Lines.Where(line => line.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal)),
                Has.One.Contains("address already in use"), string.Join(Environment.NewLine, second.Lines));
        }
    }
}
