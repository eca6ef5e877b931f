using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

namespace EventManagement.Tests.EndToEnd;

/// <summary>
/// A real Prometheus (Debian's) started by the repository's own scripts/prometheus.sh on a reserved port, scraping
/// the given Apis every second with deploy/prometheus/alerts.yml loaded. Dispose sends SIGTERM, as Ctrl-C would:
/// the script stops Prometheus and removes its data folder.
/// </summary>
internal sealed partial class PrometheusServer : IAsyncDisposable
{
    private const int SigTerm = 15;
    private readonly Process _script;
    private readonly StringBuilder _output = new();

    private PrometheusServer(Process script, int port)
    {
        _script = script;
        Port = port;
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>What the script printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts scripts/prometheus.sh scraping <paramref name="apis"/> and waits until Prometheus is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(params ServiceProcess[] apis)
    {
        // Found first, so that the script never reaches its apt-get install from a test.
        RequiredBinary.Find("prometheus", "prometheus");
        var port = ServiceProcess.FreePort();
        var start = new ProcessStartInfo
        {
            WorkingDirectory = ServiceProcess.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TARGETS"] = string.Join(',', apis.Select(static api => $"127.0.0.1:{api.Port.ToString(CultureInfo.InvariantCulture)}"));
        start.Environment["PROMETHEUS_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["SCRAPE_INTERVAL"] = "1s";

        var server = new PrometheusServer(ChildProcesses.Start(start, "bash", [Path.Combine(ServiceProcess.RepositoryRoot, "scripts", "prometheus.sh")]), port);
        server._script.OutputDataReceived += (_, line) => server.Append(line.Data);
        server._script.ErrorDataReceived += (_, line) => server.Append(line.Data);
        server._script.BeginOutputReadLine();
        server._script.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var patience = Stopwatch.StartNew();
        while (patience.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (server._script.HasExited)
            {
                throw new InvalidOperationException($"scripts/prometheus.sh exited with {server._script.ExitCode}:\n{server.Output}");
            }

            // The script prints its URL once Prometheus answers /-/ready.
            if (server.Output.Contains("URL:", StringComparison.Ordinal))
            {
                return server;
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"Prometheus was not ready within 60 s:\n{server.Output}");
    }

    /// <summary>GET an endpoint of Prometheus's HTTP API; returns its <c>data</c>.</summary>
    public async Task<JsonNode?> ApiAsync(string pathAndQuery)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync(pathAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {pathAndQuery}: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(body)?["data"];
    }

    /// <summary>Polls <paramref name="condition"/> every 200 ms until it holds; fails with <paramref name="what"/> otherwise.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan patience)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < patience)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Prometheus: {what} not within {patience}.\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_script.HasExited)
        {
            _ = kill(_script.Id, SigTerm);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _script.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                _script.Kill(entireProcessTree: true);
            }
        }

        _script.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
