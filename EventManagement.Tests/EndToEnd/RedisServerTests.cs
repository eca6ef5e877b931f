namespace EventManagement.Tests.EndToEnd;

/// <summary>The test harness's own Redis: it starts, answers, survives a kill-and-restart on the same port.</summary>
[Category("EndToEnd")]
public sealed class RedisServerTests
{
    [Test]
    public async Task StartAsync_ThenRestart_AnswersOnTheSamePortAndForgetsTheData()
    {
        await using var redis = await RedisServer.StartAsync();
        Assert.That(await redis.CommandAsync("SET probe 1"), Is.EqualTo("+OK"));
        var port = redis.Port;

        redis.Stop();
        Assert.That(redis.IsRunning, Is.False);
        await redis.RestartAsync();

        Assert.That(redis.Port, Is.EqualTo(port));
        Assert.That(await redis.CommandAsync("EXISTS probe"), Is.EqualTo(":0"));
    }
}
