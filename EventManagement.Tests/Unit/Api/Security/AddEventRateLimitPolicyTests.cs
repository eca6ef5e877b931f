using System.Net;
using System.Threading.RateLimiting;
using EventManagement.Api.Security;
using RedisRateLimiting;

namespace EventManagement.Tests.Unit.Api.Security;

/// <summary>The 429's Retry-After from either limiter's metadata, and one partition key per client address.</summary>
public sealed class AddEventRateLimitPolicyTests
{
    [Test]
    public void RetryAfterSeconds_FromTheFrameworksMetadata_RoundsUp()
    {
        var lease = new MetadataLease(MetadataName.RetryAfter.Name, TimeSpan.FromSeconds(41.2));

        Assert.That(AddEventRateLimitPolicy.RetryAfterSeconds(lease, TimeSpan.FromHours(1)), Is.EqualTo(42));
    }

    [Test]
    public void RetryAfterSeconds_FromRedisRateLimitingsOwnMetadata_IsUsed()
    {
        var lease = new MetadataLease(RateLimitMetadataName.RetryAfter.Name, 17);

        Assert.That(AddEventRateLimitPolicy.RetryAfterSeconds(lease, TimeSpan.FromHours(1)), Is.EqualTo(17));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void RetryAfterSeconds_NeverBelowOne(int seconds)
    {
        var lease = new MetadataLease(RateLimitMetadataName.RetryAfter.Name, seconds);

        Assert.That(AddEventRateLimitPolicy.RetryAfterSeconds(lease, TimeSpan.FromHours(1)), Is.EqualTo(1));
    }

    [Test]
    public void RetryAfterSeconds_WithoutMetadata_IsTheWindow()
    {
        var lease = new MetadataLease("other", 5);

        Assert.That(AddEventRateLimitPolicy.RetryAfterSeconds(lease, TimeSpan.FromSeconds(90)), Is.EqualTo(90));
    }

    [Test]
    public void ClientKey_IPv4MappedAddress_IsTheIPv4Address()
    {
        Assert.That(AddEventRateLimitPolicy.ClientKey(IPAddress.Parse("::ffff:127.0.0.2")), Is.EqualTo("127.0.0.2"));
        Assert.That(AddEventRateLimitPolicy.ClientKey(IPAddress.Parse("::1")), Is.EqualTo("::1"));
    }

    private sealed class MetadataLease(string name, object value) : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == name ? value : null;
            return metadataName == name;
        }
    }
}
