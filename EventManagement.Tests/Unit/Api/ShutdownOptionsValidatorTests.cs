using EventManagement.Api.Hosting;
using EventManagement.Application.Overload;
using Microsoft.Extensions.Options;

namespace EventManagement.Tests.Unit.Api;

/// <summary>The shutdown timeout must cover the drain delay plus one request deadline.</summary>
[TestFixture]
public sealed class ShutdownOptionsValidatorTests
{
    [Test]
    public void Validate_WithTheDefaults_Succeeds()
    {
        var result = Validator(new RequestOptions()).Validate(null, new ShutdownOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Validate_WhenTheTimeoutIsShorterThanDrainPlusDeadline_FailsNamingBothSettings()
    {
        var result = Validator(new RequestOptions { Timeout = TimeSpan.FromSeconds(30) })
            .Validate(null, new ShutdownOptions { DrainDelay = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(31) });

        Assert.Multiple(() =>
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.Contain("Shutdown:Timeout").And.Contain("Shutdown:DrainDelay").And.Contain("Requests:Timeout"));
        });
    }

    [Test]
    public void Validate_WhenTheTimeoutIsExactlyDrainPlusDeadline_Succeeds()
    {
        var result = Validator(new RequestOptions { Timeout = TimeSpan.FromSeconds(10) })
            .Validate(null, new ShutdownOptions { DrainDelay = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(12) });

        Assert.That(result.Succeeded, Is.True);
    }

    private static ShutdownOptionsValidator Validator(RequestOptions requests) => new(Options.Create(requests));
}
