using Microsoft.Extensions.Hosting;

namespace EventManagement.Infrastructure.Redis;

/// <summary>
/// Opens the shared Redis connection while the host starts, before the server takes requests, so that no request
/// waits for the first connect (up to the connect timeout when Redis is down).
/// </summary>
internal sealed class RedisConnectionWarmUp(RedisConnection connection) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.Run(() => connection.Multiplexer, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
