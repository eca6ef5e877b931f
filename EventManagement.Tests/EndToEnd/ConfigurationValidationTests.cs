namespace EventManagement.Tests.EndToEnd;

/// <summary>A bad setting stops the real Api process at start: non-zero exit and a log line that names the setting.</summary>
[Category("EndToEnd")]
public sealed class ConfigurationValidationTests
{
    [TestCase("PORT", "abc", "PORT")]
    [TestCase("PORT", "70000", "PORT")]
    [TestCase("EXTERNAL_API_BASE_URL", "not a url", "EXTERNAL_API_BASE_URL")]
    [TestCase("EXTERNAL_API_BASE_URL", "ftp://localhost:3001", "EXTERNAL_API_BASE_URL")]
    [TestCase("CircuitBreaker__FailureThreshold", "0", "CircuitBreaker:FailureThreshold")]
    [TestCase("CircuitBreaker__BreakDuration", "-00:00:01", "CircuitBreaker:BreakDuration")]
    [TestCase("CircuitBreaker__SamplingWindow", "00:00:00", "CircuitBreaker:SamplingWindow")]
    [TestCase("EventFetch__MaxConcurrency", "0", "EventFetch:MaxConcurrency")]
    [TestCase("ExternalApi__AttemptTimeout", "-00:00:01", "ExternalApi:AttemptTimeout")]
    [TestCase("Shutdown__DrainDelay", "-00:00:01", "Shutdown:DrainDelay")]
    [TestCase("Requests__Timeout", "00:00:40", "Requests:Timeout")]
    [TestCase("ExternalApi__MaxConcurrentCalls", "600", "ExternalApi:MaxConnectionsPerServer")]
    [TestCase("ForwardedHeaders__KnownProxies", "127.0.0.1, nginx", "ForwardedHeaders:KnownProxies")]
    public async Task Api_WithInvalidSetting_ExitsNonZeroNamingIt(string variable, string value, string named)
    {
        await using var api = ServiceProcess.Start("EventManagement.Api", new Dictionary<string, string> { [variable] = value });

        var exited = await api.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.That(exited, Is.True, "the Api must not start half-configured");
        Assert.That(api.ExitCode, Is.Not.Zero);
        Assert.That(api.Output, Does.Contain(named));
    }
}
