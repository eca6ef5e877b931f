using System.ComponentModel.DataAnnotations;
using EventManagement.Application.Resilience;

namespace EventManagement.Tests.Unit.Application.Resilience;

/// <summary>The data annotations on <see cref="CircuitBreakerOptions"/> (section <c>CircuitBreaker</c>).</summary>
[TestFixture]
public sealed class CircuitBreakerOptionsTests
{
    [Test]
    public void Defaults_AreThreeFailuresThirtySecondWindowFifteenSecondBreak_AndValid()
    {
        var options = new CircuitBreakerOptions();

        var (valid, results) = Validate(options);

        Assert.That(options.FailureThreshold, Is.EqualTo(3));
        Assert.That(options.SamplingWindow, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(options.BreakDuration, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(valid, Is.True);
        Assert.That(results, Is.Empty);
        Assert.That(CircuitBreakerOptions.SectionName, Is.EqualTo("CircuitBreaker"));
    }

    [Test]
    public void Validate_SmallestAllowedValues_AreValid()
    {
        var options = new CircuitBreakerOptions
        {
            FailureThreshold = 1,
            SamplingWindow = TimeSpan.FromMilliseconds(1),
            BreakDuration = TimeSpan.FromMilliseconds(1),
        };

        var (valid, results) = Validate(options);

        Assert.That(valid, Is.True);
        Assert.That(results, Is.Empty);
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(10_001)]
    public void Validate_FailureThresholdOutOfRange_IsRejectedNamingTheSetting(int threshold)
    {
        var (valid, results) = Validate(new CircuitBreakerOptions { FailureThreshold = threshold });

        Assert.That(valid, Is.False);
        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(results[0].ErrorMessage, Does.Contain("CircuitBreaker:FailureThreshold"));
        Assert.That(results[0].MemberNames, Is.EqualTo(new[] { nameof(CircuitBreakerOptions.FailureThreshold) }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(-30_000)]
    public void Validate_SamplingWindowZeroOrNegative_IsRejectedNamingTheSetting(int milliseconds)
    {
        var (valid, results) = Validate(new CircuitBreakerOptions { SamplingWindow = TimeSpan.FromMilliseconds(milliseconds) });

        Assert.That(valid, Is.False);
        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(results[0].ErrorMessage, Does.Contain("CircuitBreaker:SamplingWindow"));
        Assert.That(results[0].MemberNames, Is.EqualTo(new[] { nameof(CircuitBreakerOptions.SamplingWindow) }));
    }

    [TestCase(0)]
    [TestCase(-1)]
    [TestCase(-15_000)]
    public void Validate_BreakDurationZeroOrNegative_IsRejectedNamingTheSetting(int milliseconds)
    {
        var (valid, results) = Validate(new CircuitBreakerOptions { BreakDuration = TimeSpan.FromMilliseconds(milliseconds) });

        Assert.That(valid, Is.False);
        Assert.That(results, Has.Count.EqualTo(1));
        Assert.That(results[0].ErrorMessage, Does.Contain("CircuitBreaker:BreakDuration"));
        Assert.That(results[0].MemberNames, Is.EqualTo(new[] { nameof(CircuitBreakerOptions.BreakDuration) }));
    }

    [Test]
    public void Validate_EverySettingInvalid_ReportsEachOne()
    {
        var options = new CircuitBreakerOptions
        {
            FailureThreshold = 0,
            SamplingWindow = TimeSpan.Zero,
            BreakDuration = TimeSpan.FromSeconds(-1),
        };

        var (valid, results) = Validate(options);

        Assert.That(valid, Is.False);
        Assert.That(
            results.Select(r => r.ErrorMessage),
            Has.Exactly(1).Contains("CircuitBreaker:FailureThreshold")
                .And.Exactly(1).Contains("CircuitBreaker:SamplingWindow")
                .And.Exactly(1).Contains("CircuitBreaker:BreakDuration"));
    }

    private static (bool Valid, List<ValidationResult> Results) Validate(CircuitBreakerOptions options)
    {
        var results = new List<ValidationResult>();
        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return (valid, results);
    }
}
