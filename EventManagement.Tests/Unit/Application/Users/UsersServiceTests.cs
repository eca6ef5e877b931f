using System.Net;
using EventManagement.Application.Common;
using EventManagement.Application.Users;
using EventManagement.Infrastructure.ExternalApi;
using EventManagement.Tests.Builders;
using Moq;

namespace EventManagement.Tests.Unit.Application.Users;

/// <summary><see cref="UsersService"/> with the real gateway over a mocked Refit client.</summary>
[TestFixture]
public sealed class UsersServiceTests
{
    private Mock<IExternalEventsApiClient> _client = null!;
    private ServiceHarness _harness = null!;

    [SetUp]
    public void SetUp()
    {
        _client = RefitClientMock.Create();
        _harness = new ServiceHarness(_client);
    }

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task GetUsersAsync_WhenUpstreamAnswers_ReturnsEveryUserFreshEachTime()
    {
        _client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Ok(new List<UserContract>
            {
                RefitClientMock.User("1", ["event-1", "event-3"]),
                RefitClientMock.User("2", ["event-2"]),
            }));

        await _harness.Users.GetUsersAsync(CancellationToken.None);
        var users = await _harness.Users.GetUsersAsync(CancellationToken.None);

        Assert.That(users, Is.EqualTo(new[]
        {
            new UserDto("1", "user1", "user1@example.test", ["event-1", "event-3"]),
            new UserDto("2", "user2", "user2@example.test", ["event-2"]),
        }).Using<UserDto>((a, b) => a.Id == b.Id && a.UserName == b.UserName && a.Email == b.Email && a.Events.SequenceEqual(b.Events)));
        _client.Verify(c => c.GetUsersAsync(It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Test]
    public async Task GetUsersAsync_WhenRequestsArriveDuringARead_TheyShareOneReadThatStartsAfterThem()
    {
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        _client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
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

        var early = _harness.Users.GetUsersAsync(CancellationToken.None);
        var late = Enumerable.Range(0, 20).Select(_ => _harness.Users.GetUsersAsync(CancellationToken.None)).ToArray();
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
        _client.Setup(c => c.GetUsersAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => ApiResponses.Status<List<UserContract>>(HttpStatusCode.ServiceUnavailable));

        Assert.That(
            async () => await _harness.Users.GetUsersAsync(CancellationToken.None),
            Throws.TypeOf<UpstreamException>()
                .With.Property(nameof(UpstreamException.Kind)).EqualTo(UpstreamFailureKind.Unavailable));
    }
}
