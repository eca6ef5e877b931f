using System.Net;
using System.Net.Sockets;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// An HttpClient whose connections leave from a chosen loopback address (127.0.0.2, 127.0.0.3, …), so that one test
/// can be several clients as a server sees them.
/// </summary>
internal static class LoopbackClient
{
    public static HttpClient Create(string localAddress, Uri baseAddress, TimeSpan? timeout = null)
    {
        var local = IPAddress.Parse(localAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }
}
