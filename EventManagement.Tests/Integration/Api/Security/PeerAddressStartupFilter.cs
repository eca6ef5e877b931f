using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace EventManagement.Tests.Integration.Api.Security;

/// <summary>
/// Gives each test-server request the TCP peer address named in its <see cref="HeaderName"/> header (the test server
/// has no sockets), before any of the Api's middleware runs.
/// </summary>
internal sealed class PeerAddressStartupFilter : IStartupFilter
{
    public const string HeaderName = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.Remove(HeaderName, out var peer))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
