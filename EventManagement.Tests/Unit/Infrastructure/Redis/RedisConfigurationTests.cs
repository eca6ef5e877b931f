using System.ComponentModel.DataAnnotations;
using EventManagement.Infrastructure.Redis;
using StackExchange.Redis;

namespace EventManagement.Tests.Unit.Infrastructure.Redis;

[TestFixture]
public sealed class RedisConfigurationTests
{
    [Test]
    public void From_PlainAddress_FailsFastWithShortTimeoutsAndStartsWithoutRedis()
    {
        var options = RedisConfiguration.From("localhost:6379");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(options.BacklogPolicy, Is.SameAs(BacklogPolicy.FailFast), "no 5 s queue while disconnected");
            Assert.That(options.AbortOnConnectFail, Is.False);
            Assert.That(options.ConnectTimeout, Is.EqualTo(1000));
            Assert.That(options.SyncTimeout, Is.EqualTo(500));
            Assert.That(options.AsyncTimeout, Is.EqualTo(500));
        }
    }

    [Test]
    public void From_StringThatNamesItsOwnTimeouts_KeepsThem()
    {
        var options = RedisConfiguration.From("localhost:6379,connectTimeout=3000,syncTimeout=2000,asyncTimeout=2500");

        Assert.That((options.ConnectTimeout, options.SyncTimeout, options.AsyncTimeout), Is.EqualTo((3000, 2000, 2500)));
        Assert.That(options.BacklogPolicy, Is.SameAs(BacklogPolicy.FailFast));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Validate_Empty_IsValidAndMeansNoRedis(string value)
    {
        var options = new RedisOptions { Redis = value };

        Assert.That(options.IsConfigured, Is.False);
        Assert.That(options.Validate(new ValidationContext(options)), Is.Empty);
    }

    [TestCase("localhost:6379,connectTimeout=soon")]
    [TestCase("localhost:6379,unknownOption=1")]
    [TestCase(",")]
    public void Validate_Malformed_NamesTheSetting(string value)
    {
        var options = new RedisOptions { Redis = value };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].ErrorMessage, Does.StartWith("Cache:Redis must be"));
    }
}
