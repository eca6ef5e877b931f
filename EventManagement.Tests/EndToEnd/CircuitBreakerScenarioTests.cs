using System.Diagnostics;
using System.Net;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// The README's "See it happen" breaker scenario against real processes: a fresh MockApi (overload on, cycles of
/// 15 calls where the first 5 succeed and the next 10 fail with 503; random drops off) and an Api in front of it.
/// Each test has its own Api (its own breaker); the MockApi is shared and reset to its start-up state first.
/// </summary>
/// <remarks>
/// The MockApi numbers the valid POST /addEvent calls 0, 1, 2, …; call n fails when n % 15 ≥ 5. POSTs 1–5 use
/// calls 0–4 (201). POSTs 6, 7, 8 spend 3 attempts each on calls 5–13 (503 "service busy"); the 3rd opens the
/// breaker. The next call number is then 14, which fails, so a probe through the cycle fails its first attempt and
/// succeeds on its first retry (call 15, a new cycle): 2 attempts, 1 failure, 201.
/// </remarks>
[Category("EndToEnd")]
public sealed class CircuitBreakerScenarioTests
{
    private const int SuccessesPerCycle = 5;
    private const int AttemptsPerCall = 3;
    private const int FailureThreshold = 3;

    private ServiceProcess? _mockApi;
    private ServiceProcess? _shortBreakApi;
    private ServiceProcess? _defaultBreakApi;
    private ServiceProcess? _abortedProbeApi;
    private MockApiControl _mock = null!;

    [OneTimeSetUp]
    public async Task StartServices()
    {
        _mockApi = EndToEndServices.StartMockApi();
        _shortBreakApi = EndToEndServices.StartApi(_mockApi, ("CircuitBreaker__BreakDuration", "00:00:02"));
        _defaultBreakApi = EndToEndServices.StartApi(_mockApi);
        // Patient attempts, so that the only thing that can end its hanging probe is the client giving up. A break of
        // 5 s, so that a new break would show in Retry-After (5 s, not HALF-OPEN's 1 s) and in seconds of waiting.
        _abortedProbeApi = EndToEndServices.StartApi(
            _mockApi,
            ("CircuitBreaker__BreakDuration", "00:00:05"),
            ("ExternalApi__AttemptTimeout", "00:00:20"),
            ("ExternalApi__TotalTimeout", "00:00:20"));
        _mock = new MockApiControl(_mockApi);
        await EndToEndServices.WaitUntilReadyAsync(_mockApi, _shortBreakApi, _defaultBreakApi, _abortedProbeApi);
    }

    [OneTimeTearDown]
    public async Task StopServices()
    {
        _mock?.Dispose();
        if (_shortBreakApi is not null)
        {
            await _shortBreakApi.DisposeAsync();
        }

        if (_defaultBreakApi is not null)
        {
            await _defaultBreakApi.DisposeAsync();
        }

        if (_abortedProbeApi is not null)
        {
            await _abortedProbeApi.DisposeAsync();
        }

        if (_mockApi is not null)
        {
            await _mockApi.DisposeAsync();
        }
    }

    [SetUp]
    public Task FreshMockApi() => _mock.ResetAsync();

    [Test]
    public async Task AddEvent_ReadmeScenarioWithTwoSecondBreak_OpensRefusesThenTheProbeThroughTheCycleClosesIt()
    {
        var breakDuration = TimeSpan.FromSeconds(2);
        using var api = _shortBreakApi!.CreateClient();
        var scenario = new Scenario(api, _mock, breakDuration);

        var opened = await scenario.DriveToOpenAsync();
        // Through the cycle: the probe's first attempt is call 14 (fails), its retry call 15 (succeeds).
        var probe = await scenario.PollUntilProbeAsync(TimeSpan.FromMilliseconds(100));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(probe.Status, Is.EqualTo(HttpStatusCode.Created), probe.Body);
            Assert.That(probe.Upstream, Is.EqualTo(new RouteCounts(2, 1)), "the probe: one failed attempt (call 14), one good retry (call 15)");
            Assert.That(probe.ReceivedAt - opened.ThirdBusySentAt, Is.GreaterThanOrEqualTo(breakDuration), "no probe before the break is over");
        }

        await scenario.AssertAcceptedAsync("after the probe");
        await scenario.AssertStoredExactlyAsync();
    }

    [Test]
    public async Task AddEvent_ReadmeScenarioWithDefaultBreak_RefusesForFifteenSecondsThenTheProbeClosesIt()
    {
        var breakDuration = TimeSpan.FromSeconds(15);
        using var api = _defaultBreakApi!.CreateClient();
        var scenario = new Scenario(api, _mock, breakDuration);

        var opened = await scenario.DriveToOpenAsync();
        // The external API recovers during the break; the breaker does not know until its probe.
        await _mock.SetFaultsAsync("""{"OverloadEnabled":false}""");
        var probe = await scenario.PollUntilProbeAsync(TimeSpan.FromMilliseconds(250));

        var lastRefusedAfter = scenario.LastRefusedSentAt - opened.ThirdBusyReceivedAt;
        TestContext.Out.WriteLine($"last refusal sent {lastRefusedAfter.TotalSeconds:0.00} s after the breaker had opened");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(probe.Status, Is.EqualTo(HttpStatusCode.Created), probe.Body);
            Assert.That(probe.Upstream, Is.EqualTo(new RouteCounts(1, 0)), "the probe: one attempt, which succeeds");
            Assert.That(probe.ReceivedAt - opened.ThirdBusySentAt, Is.GreaterThanOrEqualTo(breakDuration), "no probe before 15 s");
            // Polled every 250 ms: even if a loaded machine stalls the polls for seconds, one was sent in the last
            // third of the break and was still refused.
            Assert.That(lastRefusedAfter, Is.GreaterThan(breakDuration - TimeSpan.FromSeconds(5)), "still refused late in the break");
        }

        await scenario.AssertAcceptedAsync("after the probe");
        await scenario.AssertStoredExactlyAsync();
    }

    [Test]
    public async Task AddEvent_ProbeWhoseCallerGivesUp_DoesNotLeaveTheBreakerHalfOpen()
    {
        var breakDuration = TimeSpan.FromSeconds(5);
        using var api = _abortedProbeApi!.CreateClient();
        await _mock.SetFaultsAsync("""{"OverloadSuccessesPerCycle":0}""");
        for (var failure = 1; failure <= FailureThreshold; failure++)
        {
            using var busy = await api.PostEventAsync($"Busy {failure}");
            Assert.That(await busy.Content.ReadAsStringAsync(), Does.Contain("service busy"), $"busy answer {failure}");
        }

        // The external API now hangs: the probe will wait in it until its caller gives up.
        await _mock.SetFaultsAsync("""{"OverloadEnabled":false,"AddEventDelay":"00:01:00"}""");
        var clock = Stopwatch.StartNew();
        var refusals = 0;
        while (true)
        {
            Assert.That(clock.Elapsed, Is.LessThan(breakDuration + TimeSpan.FromSeconds(20)), "no probe was let through");
            var before = await _mock.StatsAsync(MockApiControl.AddEvent);
            // A refusal takes milliseconds; 3 s, so that only the probe (hanging for a minute) is given up on.
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                using var refused = await api.PostEventAsync($"Refused {refusals}", cancellationToken: giveUp.Token);
                Assert.That(await refused.Content.ReadAsStringAsync(), Does.Contain("service down, try later"), "refused while open");
                refusals++;
                await Task.Delay(100);
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                // HttpClient closed the connection: the Api sees its request aborted.
                Assert.That((await _mock.StatsAsync(MockApiControl.AddEvent) - before).Calls, Is.EqualTo(1), "the POST given up on was the probe, hanging in the MockApi");
                break;
            }
        }

        // The caller of the probe is gone. The breaker must neither stay HALF-OPEN nor start a new break: the next
        // call probes at once. Until the Api has noticed the disconnect it may still refuse, as HALF-OPEN (Retry-After: 1).
        await _mock.SetFaultsAsync("""{"AddEventDelay":"00:00:00"}""");
        var abandonedAt = clock.Elapsed;
        var halfOpenRefusals = new List<string>();
        while (true)
        {
            using var response = await api.PostEventAsync("After the abandoned probe");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                break;
            }

            halfOpenRefusals.Add($"{(int)response.StatusCode} Retry-After {response.Headers.RetryAfter?.Delta?.TotalSeconds}: {body}");
            Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)), $"refused as HALF-OPEN only, not as a new break: {string.Join("\n", halfOpenRefusals)}");
            Assert.That(clock.Elapsed - abandonedAt, Is.LessThan(breakDuration), $"still HALF-OPEN: {string.Join("\n", halfOpenRefusals)}");
            await Task.Delay(50);
        }

        TestContext.Out.WriteLine($"{refusals} refusals while open; after the abandoned probe, {halfOpenRefusals.Count} HALF-OPEN refusals, then 201 {(clock.Elapsed - abandonedAt).TotalMilliseconds:0} ms later");
        Assert.That(clock.Elapsed - abandonedAt, Is.LessThan(breakDuration), "no new break after a probe whose caller gave up");
    }

    /// <summary>One run of the scenario against one Api; remembers which names were stored and which refused.</summary>
    private sealed class Scenario(HttpClient api, MockApiControl mock, TimeSpan breakDuration)
    {
        private readonly List<string> _accepted = [];
        private readonly List<string> _rejected = [];
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private Opening _opening;
        private int _posts;

        public TimeSpan LastRefusedSentAt { get; private set; }

        /// <summary>POSTs 1–5 → 201; 6–8 → 503 "service busy" after 3 attempts each; 9 → refused without a call.</summary>
        public async Task<Opening> DriveToOpenAsync()
        {
            for (var i = 0; i < SuccessesPerCycle; i++)
            {
                await AssertAcceptedAsync($"POST {i + 1}, inside the first 5 of the cycle");
            }

            Assert.That(await mock.StatsAsync(MockApiControl.AddEvent), Is.EqualTo(new RouteCounts(SuccessesPerCycle, 0)));

            for (var failure = 1; failure <= FailureThreshold; failure++)
            {
                var post = await PostAsync();
                _rejected.Add(post.Name);
                _opening = new Opening(post.SentAt, post.ReceivedAt);
                using (Assert.EnterMultipleScope())
                {
                    Assert.That(post.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), post.Body);
                    Assert.That(post.Body, Does.Contain("\"message\":\"service busy\""), $"busy answer {failure}");
                    Assert.That(post.Upstream, Is.EqualTo(new RouteCounts(AttemptsPerCall, AttemptsPerCall)), $"busy answer {failure}: all its attempts reached the MockApi and failed");
                }
            }

            // The breaker opened while the 3rd busy POST was in flight.
            var refused = await PostAsync();
            _rejected.Add(refused.Name);
            LastRefusedSentAt = refused.SentAt;
            AssertRefused(refused, "right after the 3rd busy answer");
            // A call let through would spend at least one attempt timeout (2 s) and its retries; a refusal spends none.
            Assert.That(refused.ReceivedAt - refused.SentAt, Is.LessThan(TimeSpan.FromSeconds(5)), "refused without waiting for the MockApi");
            return _opening;
        }

        /// <summary>
        /// POSTs every <paramref name="interval"/> while the breaker refuses (each refusal checked: 503
        /// "service down", Retry-After, no call to the MockApi) and returns the first POST it lets through.
        /// </summary>
        public async Task<Post> PollUntilProbeAsync(TimeSpan interval)
        {
            var patience = breakDuration + TimeSpan.FromSeconds(20);
            var refusals = 1;
            while (_clock.Elapsed - _opening.ThirdBusyReceivedAt < patience)
            {
                await Task.Delay(interval);
                var post = await PostAsync();
                if (post.Status == HttpStatusCode.ServiceUnavailable && post.Body.Contains("service down, try later", StringComparison.Ordinal))
                {
                    refusals++;
                    _rejected.Add(post.Name);
                    LastRefusedSentAt = post.SentAt;
                    AssertRefused(post, $"refusal {refusals}");
                    continue;
                }

                (post.Status == HttpStatusCode.Created ? _accepted : _rejected).Add(post.Name);
                TestContext.Out.WriteLine($"{refusals} refusals while open, then the probe: {(int)post.Status} with {post.Upstream}, {(post.ReceivedAt - _opening.ThirdBusySentAt).TotalSeconds:0.00} s after the breaker opened");
                return post;
            }

            Assert.Fail($"the breaker still refused {patience} after opening");
            throw new UnreachableException();
        }

        public async Task AssertAcceptedAsync(string what)
        {
            var post = await PostAsync();
            Assert.That(post.Status, Is.EqualTo(HttpStatusCode.Created), $"{what}: {post.Body}");
            _accepted.Add(post.Name);
        }

        /// <summary>Every 201 event is stored once; nothing answered 503 is stored at all.</summary>
        public async Task AssertStoredExactlyAsync()
        {
            var names = (await api.GetArrayAsync("/getEvents")).Select(static item => item.StringAt("name")).ToList();
            using (Assert.EnterMultipleScope())
            {
                foreach (var name in _accepted)
                {
                    Assert.That(names.Count(stored => stored == name), Is.EqualTo(1), $"'{name}' (201) stored once");
                }

                foreach (var name in _rejected)
                {
                    Assert.That(names, Has.No.Member(name), $"'{name}' (503) not stored");
                }
            }
        }

        /// <summary>
        /// 503 "service down, try later", no call to the MockApi, and Retry-After = the whole seconds left of the break.
        /// The breaker opened while the 3rd busy POST was in flight and read its clock while this one was, which
        /// bounds what it can have said.
        /// </summary>
        private void AssertRefused(Post post, string what)
        {
            var atLeast = Math.Max(1, Math.Floor((_opening.ThirdBusySentAt + breakDuration - post.ReceivedAt).TotalSeconds));
            var atMost = Math.Max(1, Math.Ceiling((_opening.ThirdBusyReceivedAt + breakDuration - post.SentAt).TotalSeconds));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(post.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), $"{what}: {post.Body}");
                Assert.That(post.ContentType, Is.EqualTo("application/problem+json"), what);
                Assert.That(post.Body, Does.Contain("\"message\":\"service down, try later\""), what);
                Assert.That(post.RetryAfter?.TotalSeconds, Is.InRange(atLeast, atMost).And.InRange(1, breakDuration.TotalSeconds), $"{what}: Retry-After");
                Assert.That(post.Upstream, Is.EqualTo(default(RouteCounts)), $"{what}: no call may reach the MockApi");
            }
        }

        /// <summary>One POST /addEvent with a unique name, with what the MockApi saw of it.</summary>
        private async Task<Post> PostAsync()
        {
            var name = $"Load {++_posts} {Guid.NewGuid():N}";
            var before = await mock.StatsAsync(MockApiControl.AddEvent);
            var sentAt = _clock.Elapsed;
            using var response = await api.PostEventAsync(name);
            var body = await response.Content.ReadAsStringAsync();
            var receivedAt = _clock.Elapsed;
            var upstream = await mock.StatsAsync(MockApiControl.AddEvent) - before;
            return new Post(name, response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta, upstream, sentAt, receivedAt);
        }
    }

    private readonly record struct Opening(TimeSpan ThirdBusySentAt, TimeSpan ThirdBusyReceivedAt);

    private sealed record Post(
        string Name,
        HttpStatusCode Status,
        string Body,
        string? ContentType,
        TimeSpan? RetryAfter,
        RouteCounts Upstream,
        TimeSpan SentAt,
        TimeSpan ReceivedAt);
}
