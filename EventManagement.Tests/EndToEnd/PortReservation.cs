using System.Net;
using System.Net.Sockets;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// Ports for servers that must be told their port up front (redis-server, a restart on the same port). Our own programs
/// need none of this: they bind port 0 and report what they got (<see cref="ServiceProcess"/>).
/// </summary>
/// <remarks>
/// The ports come from a range of our own, below Linux's ephemeral range (32768-60999), so that no client connection
/// and no port-0 bind ever takes one. Each port handed out is locked by a file in the temp folder, held until this
/// process ends (the kernel drops the lock even on SIGKILL), so that test runs side by side never hand out one port
/// twice; it is also checked free on every interface, as the servers bind them all.
/// </remarks>
internal static class PortReservation
{
    private const int First = 20_000;
    private const int Count = 10_000;

    private static readonly Lock Gate = new();
    private static readonly List<FileStream> Locks = [];
    private static readonly string LockFolder = Path.Combine(Path.GetTempPath(), "eventmanagement-test-ports");
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A port that nobody listens on and that no other caller, in this process or another, has been given.</summary>
    public static int Reserve()
    {
        Directory.CreateDirectory(LockFolder);
        lock (Gate)
        {
            for (var tried = 0; tried < Count; tried++)
            {
                var port = First + (_next++ % Count);
                if (TryLock(port) is { } held)
                {
                    if (IsFree(port))
                    {
                        Locks.Add(held);
                        return port;
                    }

                    held.Dispose();
                }
            }
        }

        throw new InvalidOperationException($"No free port from {First} to {First + Count - 1}.");
    }

    private static FileStream? TryLock(int port)
    {
        try
        {
            // FileShare.None takes an exclusive flock: a second process (another test run) cannot open the file.
            return new FileStream(Path.Combine(LockFolder, $"{port}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        // [::] in dual mode covers 0.0.0.0 too, as Kestrel's ListenAnyIP does; IPv4 only where IPv6 is off.
        var any = Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        using var socket = new Socket(any.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (Socket.OSSupportsIPv6)
        {
            socket.DualMode = true;
        }

        try
        {
            socket.Bind(new IPEndPoint(any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
