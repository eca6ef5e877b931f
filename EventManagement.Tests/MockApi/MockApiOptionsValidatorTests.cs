using EventManagement.MockApi.Options;

namespace EventManagement.Tests.MockApi;

[TestFixture]
public sealed class MockApiOptionsValidatorTests
{
    private readonly MockApiOptionsValidator _validator = new();

    [Test]
    public void Validate_Defaults_Succeeds()
    {
        var result = _validator.Validate(null, new MockApiOptions());

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [TestCase(nameof(MockApiOptions.EventDelay), "MockApi:EventDelay must not be negative")]
    [TestCase(nameof(MockApiOptions.OverloadFailureDelay), "MockApi:OverloadFailureDelay must not be negative")]
    [TestCase(nameof(MockApiOptions.AddEventDelay), "MockApi:AddEventDelay must not be negative")]
    [TestCase(nameof(MockApiOptions.RandomFailureRate), "MockApi:RandomFailureRate must be between 0 and 1")]
    [TestCase(nameof(MockApiOptions.OverloadCycleLength), "MockApi:OverloadCycleLength must be at least 1")]
    [TestCase(nameof(MockApiOptions.OverloadSuccessesPerCycle),
        "MockApi:OverloadSuccessesPerCycle must be between 0 and MockApi:OverloadCycleLength (15)")]
    [TestCase(nameof(MockApiOptions.DataDirectory), "MockApi:DataDirectory must be a folder holding users.json")]
    public void Validate_BadSetting_FailsWithAMessageNamingIt(string setting, string message)
    {
        var options = new MockApiOptions();
        Break(options, setting);

        var result = _validator.Validate(null, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.FailureMessage, Does.StartWith(message));
        }
    }

    [TestCase(double.NaN)]
    [TestCase(1.01)]
    public void Validate_RateOutsideZeroToOne_Fails(double rate)
    {
        var result = _validator.Validate(null, new MockApiOptions { RandomFailureRate = rate });

        Assert.That(result.FailureMessage, Is.EqualTo("MockApi:RandomFailureRate must be between 0 and 1"));
    }

    [Test]
    public void Validate_AbsoluteDataDirectoryWithTheFiles_Succeeds()
    {
        var options = new MockApiOptions { DataDirectory = Path.Combine(AppContext.BaseDirectory, "mocks") };

        Assert.That(_validator.Validate(null, options).Succeeded, Is.True);
    }

    private static void Break(MockApiOptions options, string setting)
    {
        switch (setting)
        {
            case nameof(MockApiOptions.EventDelay):
                options.EventDelay = TimeSpan.FromMilliseconds(-1);
                break;
            case nameof(MockApiOptions.OverloadFailureDelay):
                options.OverloadFailureDelay = TimeSpan.FromMilliseconds(-1);
                break;
            case nameof(MockApiOptions.AddEventDelay):
                options.AddEventDelay = TimeSpan.FromMilliseconds(-1);
                break;
            case nameof(MockApiOptions.RandomFailureRate):
                options.RandomFailureRate = -0.5;
                break;
            case nameof(MockApiOptions.OverloadCycleLength):
                options.OverloadCycleLength = 0;
                options.OverloadSuccessesPerCycle = 0;
                break;
            case nameof(MockApiOptions.OverloadSuccessesPerCycle):
                options.OverloadSuccessesPerCycle = 16;
                break;
            default:
                options.DataDirectory = "no-such-folder";
                break;
        }
    }
}
