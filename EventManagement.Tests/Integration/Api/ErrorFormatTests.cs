using System.Net;
using System.Text;

namespace EventManagement.Tests.Integration.Api;

/// <summary>Every error the framework raises on its own is the same problem shape as ours.</summary>
public sealed class ErrorFormatTests : ApiTestBase
{

    [TearDown]
    public void NothingReachedTheExternalApi() => Assert.That(Factory.ExternalApi.Invocations, Is.Empty);

    [Test]
    public async Task UnknownRoute_Returns404Problem() =>
        await ProblemAssert.IsProblemAsync(await Client.GetAsync("/no-such-route"), HttpStatusCode.NotFound, "not found");

    [Test]
    public async Task WrongMethod_Returns405Problem() =>
        await ProblemAssert.IsProblemAsync(await Client.DeleteAsync("/getUsers"), HttpStatusCode.MethodNotAllowed, "method not allowed");

    [Test]
    public async Task AddEvent_WithNonJsonBody_Returns415Problem() =>
        await ProblemAssert.IsProblemAsync(
            await Client.PostAsync("/addEvent", new StringContent("name=x&userId=1", Encoding.UTF8, "application/x-www-form-urlencoded")),
            HttpStatusCode.UnsupportedMediaType);

    [TestCase("{")]
    [TestCase("not json")]
    [TestCase("""{"name":"A","userId":"1","name":"B"}""")]
    [TestCase("""{"name":"A","userId":true}""")]
    [TestCase("""{"name":"A","userId":1.5}""")]
    [TestCase("""{"name":"","userId":"1"}""")]
    [TestCase("""{"userId":"1"}""")]
    [TestCase("""{"name":"A"}""")]
    [TestCase("[]")]
    [TestCase("")]
    public async Task AddEvent_WithMalformedOrInvalidJson_Returns400Problem(string body) =>
        await ProblemAssert.IsProblemAsync(
            await Client.PostAsync("/addEvent", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);

    [Test]
    public async Task AddEvent_WithBodyOver64KiB_Returns413Problem()
    {
        var body = $$"""{"name":"A","userId":"1","details":"{{new string('x', 70_000)}}"}""";

        await ProblemAssert.IsProblemAsync(
            await Client.PostAsync("/addEvent", new StringContent(body, Encoding.UTF8, "application/json")),
            HttpStatusCode.RequestEntityTooLarge);
    }
}
