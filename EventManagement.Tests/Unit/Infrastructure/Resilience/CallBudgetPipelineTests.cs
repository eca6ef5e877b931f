using System.Net;
using System.Text;
using EventManagement.Application;
using EventManagement.Application.Abstractions;
using EventManagement.Application.Common;
using EventManagement.Application.Overload;
using EventManagement.Infrastructure;
using EventManagement.Tests.Builders;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Time.Testing;

namespace EventManagement.Tests.Unit.Infrastructure.Resilience;

/// <summary>
/// The call budget and the retry budget in the real pipeline (AddApplication + AddInfrastructure: the budget
/// decorator, the gateway, Refit, the Polly handler) over a primary handler of the test's, on a fake clock.
/// </summary>
[TestFixture]
public sealed class CallBudgetPipelineTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
    private ServiceProvider? _provider;

    [TearDown]
    public async Task TearDown()
    {
        // Polly's pipelines, when disposed, poll on the pipeline's clock (this fake one) until the executions that
        // are still ending (a cancelled call unwinding) are done: move the clock on so the polling sees them end.
        if (_provider is not null)
        {
            var disposal = _provider.DisposeAsync().AsTask();
            var patience = System.Diagnostics.Stopwatch.StartNew();
            while (!disposal.IsCompleted && patience.Elapsed < TimeSpan.FromSeconds(30))
            {
                _time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(10);
            }

            await disposal.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }

    [Test]
    public async Task GetEventByIdAsync_WhenItWaitsLongerThanTheTimeoutsForASlot_NeitherTimesOutNorRetries()
    {
        var answers = new Queue<TaskCompletionSource<HttpResponseMessage>>();
        var handler = new DelegatingUpstreamHandler((request, _) =>
        {
            var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (answers)
            {
                answers.Enqueue(answer);
            }

            return answer.Task.ContinueWith(
                answered =>
                {
                    answered.Result.RequestMessage = request;
                    return answered.Result;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        });
        var api = Build(handler, ("ExternalApi:MaxConcurrentCalls", "1"), ("ExternalApi:AttemptTimeout", "00:00:02"), ("ExternalApi:TotalTimeout", "00:00:03"));
        var budget = _provider!.GetRequiredService<FairConcurrencyLimiter>();

        var first = api.GetEventByIdAsync("event-1", CancellationToken.None);
        var second = api.GetEventByIdAsync("event-2", CancellationToken.None);
        Assert.That(budget.Waiting, Is.EqualTo(1));

        // The first call answers just inside its 2 s attempt timeout; the second has waited as long for its slot.
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Answer(answers, "event-1");
        await first.WaitAsync(Guard);
        await WaitUntilAsync(() => handler.Attempts == 2);

        // Past 3 s since the second call asked: its timeouts started with its slot, not with its wait.
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Answer(answers, "event-2");
        var found = await second.WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(found?.Id, Is.EqualTo("event-2"));
            Assert.That(handler.Attempts, Is.EqualTo(2), "no retry and no timeout");
        });
    }

    [Test]
    public async Task GetEventByIdAsync_WhenEveryLookupFailsAt100AtOnce_RetriesOnlyWithinTheBudget()
    {
        var handler = new DelegatingUpstreamHandler((request, _) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request }));
        var api = Build(handler);

        var calls = Enumerable.Range(0, 100).Select(i => CatchAsync(api.GetEventByIdAsync($"event-{i}", CancellationToken.None))).ToArray();
        var failures = await Task.WhenAll(calls).WaitAsync(Guard);

        Assert.Multiple(() =>
        {
            Assert.That(failures, Has.All.InstanceOf<UpstreamException>());
            // 100 calls, 20 % of them as retries, plus at most one second of the 5-a-second reserve (when the reserve
            // goes first, while few calls have earned anything, the share counts those retries too): at most 1.25 a call.
            Assert.That(handler.Attempts, Is.InRange(120, 125));
        });
    }

    [Test]
    public async Task GetEventByIdAsync_WhenTheRequestsDeadlinePassesInFlight_IsAnUpstreamTimeout()
    {
        var handler = new DelegatingUpstreamHandler(async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            throw new InvalidOperationException("unreachable");
        });
        var api = Build(handler, ("ExternalApi:AttemptTimeout", "00:01:00"), ("ExternalApi:TotalTimeout", "00:01:00"));
        using var deadline = new RequestDeadline(TimeSpan.FromSeconds(5), _time, CancellationToken.None);
        RequestDeadline.Current = deadline;

        var call = api.GetEventByIdAsync("event-1", deadline.Token);
        RequestDeadline.Current = null;
        await WaitUntilAsync(() => handler.Attempts == 1);
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.That(
            async () => await call.WaitAsync(Guard),
            Throws.TypeOf<UpstreamException>().With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.TimedOut));
        Assert.That(handler.Attempts, Is.EqualTo(1));
    }

    private static void Answer(Queue<TaskCompletionSource<HttpResponseMessage>> answers, string eventId)
    {
        TaskCompletionSource<HttpResponseMessage> answer;
        lock (answers)
        {
            answer = answers.Dequeue();
        }

        answer.SetResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent($$"""{"id":"{{eventId}}","name":"Event","userId":"1"}""", Encoding.UTF8, "application/json"),
        });
    }

    private static async Task<Exception?> CatchAsync(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    // The fake clock cannot move a continuation along; wait (bounded) for the thread pool to reach a state.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(Guard);
        while (!condition())
        {
            await Task.Yield();
            guard.Token.ThrowIfCancellationRequested();
        }
    }

    private IExternalEventsApi Build(DelegatingUpstreamHandler handler, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["ExternalApi:BaseUrl"] = "http://upstream.test",
            ["ExternalApi:RetryBaseDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddApplication(configuration).AddInfrastructure(configuration);
        services.ConfigureAll<HttpClientFactoryOptions>(options =>
            options.HttpMessageHandlerBuilderActions.Add(builder => builder.PrimaryHandler = handler));
        _provider = services.BuildServiceProvider();
        return _provider.GetRequiredService<IExternalEventsApi>();
    }
}
