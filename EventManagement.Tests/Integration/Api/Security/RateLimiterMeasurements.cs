using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace EventManagement.Tests.Integration.Api.Security;

/// <summary>
/// Counts the framework rate limiter's own <c>aspnetcore.rate_limiting.requests</c> measurements of one test server:
/// one per request the rate limiting middleware looked at.
/// </summary>
internal sealed class RateLimiterMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public RateLimiterMeasurements(ApiFactory factory)
    {
        var meters = factory.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.RateLimiting" && instrument.Name == "aspnetcore.rate_limiting.requests"
                && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}
