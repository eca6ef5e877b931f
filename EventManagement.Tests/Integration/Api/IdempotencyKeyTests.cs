using System.Net;
using System.Text;
using System.Text.Json;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;
using Refit;

namespace EventManagement.Tests.Integration.Api;

/// <summary>POST /addEvent with an Idempotency-Key, through the HTTP pipeline and the in-memory record store.</summary>
public sealed class IdempotencyKeyTests : AcceptingApiTestBase
{
    [Test]
    public async Task AddEvent_RepeatWithNumberForString_GetsTheFirstAnswerAndStoresOnce()
    {
        using var first = await PostAsync("""{"name":"Paid once","userId":"3"}""", "numeric-1");
        using var repeat = await PostAsync("""{ "userId": 3, "name": "Paid once" }""", "numeric-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(repeat.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await repeat.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AddEvent_QuotedAndBareFormsOfOneKey_AreTheSameKey()
    {
        using var quoted = await PostAsync("""{"name":"Quoted","userId":"1"}""", "\"order-\\\"9\\\"\"");
        using var bare = await PostAsync("""{"name":"Quoted","userId":"1"}""", "order-\"9\"");

        Assert.That(await EventIdAsync(bare), Is.EqualTo(await EventIdAsync(quoted)));
        Assert.That(Sent, Has.Count.EqualTo(1));
    }

    [TestCase("\"unterminated")]
    [TestCase("\"\"")]
    [TestCase("\"bad \\n escape\"")]
    public async Task AddEvent_MalformedQuotedKey_Is400AndCallsNothing(string header)
    {
        using var response = await PostAsync("""{"name":"A","userId":"1"}""", header);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(Sent, Is.Empty);
    }

    [Test]
    public async Task AddEvent_SameKeyWithAnotherBody_Is422ProblemAndStoresNothingMore()
    {
        using var first = await PostAsync("""{"name":"First","userId":"2"}""", "reused-1");
        using var second = await PostAsync("""{"name":"Second","userId":"2"}""", "reused-1");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.UnprocessableEntity, "idempotency key reused");
        Assert.That(Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AddEvent_SameKeyWhileTheFirstIsInFlight_Is409WithRetryAfterThenTheFirstAnswer()
    {
        var gate = new TaskCompletionSource<IApiResponse<AddEventResponseContract>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Factory.ExternalApi.Setup(api => api.AddEventAsync(Capture.In(Sent), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                arrived.TrySetResult();
                return gate.Task;
            });

        var first = PostAsync("""{"name":"Slow","userId":"1"}""", "in-flight-1");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using (var during = await PostAsync("""{"name":"Slow","userId":"1"}""", "in-flight-1"))
        {
            await ProblemAssert.IsProblemAsync(during, HttpStatusCode.Conflict, "request in progress");
            Assert.That(during.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        }

        gate.SetResult(ApiResponses.Ok(new AddEventResponseContract(true, null, null)));
        using var answered = await first;
        using var after = await PostAsync("""{"name":"Slow","userId":"1"}""", "in-flight-1");

        Assert.That(await EventIdAsync(after), Is.EqualTo(await EventIdAsync(answered)));
        Assert.That(Sent, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task AddEvent_WhenTheFirstGets503_TheRetryIsTriedAgainAndStored()
    {
        Factory.ExternalApi.Setup(api => api.AddEventAsync(Capture.In(Sent), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<AddEventResponseContract>(HttpStatusCode.ServiceUnavailable));
        using var failed = await PostAsync("""{"name":"Retried","userId":"1"}""", "retried-1");
        await ProblemAssert.IsProblemAsync(failed, HttpStatusCode.ServiceUnavailable, "service busy");

        Factory.ExternalApi.Setup(api => api.AddEventAsync(Capture.In(Sent), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new AddEventResponseContract(true, null, null)));
        using var retried = await PostAsync("""{"name":"Retried","userId":"1"}""", "retried-1");

        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created), "a 503 is not a final answer");
        Assert.That(await EventIdAsync(retried), Is.EqualTo(Sent[^1].Id));
    }

    private Task<HttpResponseMessage> PostAsync(string json, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/addEvent") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        return Client.SendAsync(request);
    }

    private static async Task<string?> EventIdAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);
        return JsonDocument.Parse(body).RootElement.GetProperty("event").GetProperty("id").GetString();
    }
}
