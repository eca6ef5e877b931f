using EventManagement.Tests.EndToEnd;

namespace EventManagement.Tests.MockApi;

/// <summary>A bad setting stops the MockApi at start: exit code 1 and one log line that names the setting.</summary>
[TestFixture]
[Category("EndToEnd")]
public sealed class MockApiStartupFailureTests
{
    [TestCase("PORT", "abc", "PORT must be a whole number from 0 to 65535; got 'abc'")]
    [TestCase("PORT", "-1", "PORT must be a whole number from 0 to 65535; got '-1'")]
    [TestCase("PORT", "65536", "PORT must be a whole number from 0 to 65535; got '65536'")]
    [TestCase("MockApi__EventDelay", "-00:00:01", "MockApi:EventDelay must not be negative")]
    [TestCase("MockApi__RandomFailureRate", "1.5", "MockApi:RandomFailureRate must be between 0 and 1")]
    [TestCase("MockApi__OverloadCycleLength", "0", "MockApi:OverloadCycleLength must be at least 1")]
    [TestCase("MockApi__EventDelay", "soon", "'MockApi:EventDelay'")]
    [TestCase("MockApi__EventDelya", "00:00:01", "'EventDelya'")]
    [TestCase("MockApi__DataDirectory", "/no/such/folder", "MockApi:DataDirectory must be a folder holding users.json")]
    public async Task Main_BadSetting_ExitsWithOneAndOneLineNamingIt(string name, string value, string message)
    {
        await using var mockApi = ServiceProcess.Start("EventManagement.MockApi", new Dictionary<string, string> { [name] = value });

        AssertOneErrorLine(await ExitCodeAsync(mockApi), mockApi.OutputLines, message);
    }

    private static async Task<int> ExitCodeAsync(ServiceProcess process)
    {
        Assert.That(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True, "it must not start: " + process.Output);
        return process.ExitCode;
    }

    private static void AssertOneErrorLine(int exitCode, IReadOnlyList<string> lines, string message)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(lines, Has.Count.EqualTo(1), string.Join(Environment.NewLine, lines));
            Assert.That(lines, Has.One.Contains("\"level\":\"ERROR\"").And.Contains(message));
        }
    }
}
