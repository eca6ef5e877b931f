using System.Net;
using EventManagement.Application.Common;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Unit.Application.Users;

/// <summary><see cref="UsersService"/> with the real gateway over a mocked Refit client.</summary>
[TestFixture]
public sealed class UsersServiceTests : ServiceHarnessTestBase
{
    [Test]
    public async Task GetUsersAsync_CalledTwice_ReadsTheUsersFreshEachTime()
    {
        // The mapping of each user is the gateway's (ExternalEventsGatewayTests); here: no answer is kept.
        Client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<UserContract> { RefitClientMock.User("1", ["event-1"]), RefitClientMock.User("2", []) }));

        await Harness.Users.GetUsersAsync(CancellationToken.None);
        var users = await Harness.Users.GetUsersAsync(CancellationToken.None);

        Assert.That(users.Select(user => user.Id), Is.EqualTo(new[] { "1", "2" }));
        Client.Verify(c => c.GetUsersAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task GetUsersAsync_WhenRequestsArriveDuringARead_TheyShareOneReadThatStartsAfterThem()
    {
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        Client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                // The first read answers the old list once released; every later read sees user 2 as well.
                if (Interlocked.Increment(ref calls) == 1)
                {
                    await firstRead.Task;
                    return ApiResponses.Ok(new List<UserContract> { RefitClientMock.User("1", []) });
                }

                return ApiResponses.Ok(new List<UserContract> { RefitClientMock.User("1", []), RefitClientMock.User("2", []) });
            });

        var early = Harness.Users.GetUsersAsync(CancellationToken.None);
        var late = Enumerable.Range(0, 20).Select(_ => Harness.Users.GetUsersAsync(CancellationToken.None)).ToArray();
        firstRead.SetResult();

        Assert.That((await early).Select(user => user.Id), Is.EqualTo(new[] { "1" }));
        foreach (var users in await Task.WhenAll(late))
        {
            Assert.That(users.Select(user => user.Id), Is.EqualTo(new[] { "1", "2" }), "no answer older than its request");
        }

        Assert.That(calls, Is.EqualTo(2), "21 requests, one read in flight and one queued");
    }

    [Test]
    public void GetUsersAsync_WhenUpstreamAnswers503_ThrowsUpstreamUnavailable()
    {
        Client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<List<UserContract>>(HttpStatusCode.ServiceUnavailable));

        Assert.That(
            async () => await Harness.Users.GetUsersAsync(CancellationToken.None),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.Unavailable));
    }
}
