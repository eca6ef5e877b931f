// loadgen: a minimal closed-loop HTTP load generator with wrk-compatible output, for scripts/bench.sh when wrk is
// not available. Usage: loadgen -c CONNECTIONS -d SECONDS [-r "PREFIX COUNT"] URL
// Each of the CONNECTIONS workers sends GET URL, reads the whole answer, records the latency and sends the next.
// With -r, each request goes to URL followed by a random id PREFIX0001 .. PREFIX<COUNT> (as scripts/bench/random-ids.lua).
// Prints the lines scripts/bench.sh parses from wrk: "Requests/sec:", the " 99%" latency line,
// "Non-2xx or 3xx responses:" and "Socket errors: connect C, read R, write W, timeout T".
using System.Diagnostics;
using System.Globalization;
using System.Net;

var connections = 64;
var seconds = 10.0;
string? url = null;
string? idPrefix = null;
var idCount = 0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "-c": connections = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "-d": seconds = double.Parse(args[++i].TrimEnd('s'), CultureInfo.InvariantCulture); break;
        case "-t": i++; break; // wrk's thread count: the thread pool decides here.
        case "-r":
            var parts = args[++i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            idPrefix = parts[0];
            idCount = int.Parse(parts[1], CultureInfo.InvariantCulture);
            break;
        default: url = args[i]; break;
    }
}

if (url is null || connections < 1 || seconds <= 0 || (idPrefix is not null && idCount < 1))
{
    Console.Error.WriteLine("usage: loadgen -c CONNECTIONS -d SECONDS [-r \"PREFIX COUNT\"] URL");
    return 2;
}

using var client = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = connections,
    UseCookies = false,
    AutomaticDecompression = DecompressionMethods.None,
})
{
    Timeout = TimeSpan.FromSeconds(5),
};

var uri = new Uri(url);
var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
var started = Stopwatch.GetTimestamp();
var workers = new Task<WorkerResult>[connections];
for (var w = 0; w < connections; w++)
{
    workers[w] = Task.Run(async () =>
    {
        var result = new WorkerResult();
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            var begin = Stopwatch.GetTimestamp();
            try
            {
                var target = idPrefix is null
                    ? uri
                    : new Uri(string.Create(CultureInfo.InvariantCulture, $"{url}{idPrefix}{Random.Shared.Next(1, idCount + 1):D4}"));
                using var response = await client.GetAsync(target, HttpCompletionOption.ResponseContentRead);
                result.Latencies.Add(Stopwatch.GetElapsedTime(begin).TotalMilliseconds);
                if ((int)response.StatusCode >= 400)
                {
                    result.Non2xx++;
                }
            }
            catch (TaskCanceledException)
            {
                result.Timeouts++;
            }
            catch (HttpRequestException)
            {
                result.ReadErrors++;
            }
        }

        return result;
    });
}

var results = await Task.WhenAll(workers);
var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
var p = (double q) => latencies.Length == 0 ? 0 : latencies[Math.Clamp((int)Math.Ceiling(q * latencies.Length) - 1, 0, latencies.Length - 1)];
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"Running {seconds}s test @ {url}"));
Console.WriteLine(string.Create(inv, $"  {connections} connections (loadgen, HttpClient)"));
Console.WriteLine("  Latency Distribution");
foreach (var q in new[] { 0.50, 0.75, 0.90, 0.99 })
{
    Console.WriteLine(string.Create(inv, $"     {q * 100:0}%  {p(q):0.00}ms"));
}

Console.WriteLine(string.Create(inv, $"  {latencies.Length} requests in {elapsed:0.00}s"));
var non2xx = results.Sum(r => r.Non2xx);
var read = results.Sum(r => r.ReadErrors);
var timeouts = results.Sum(r => r.Timeouts);
if (read + timeouts > 0)
{
    Console.WriteLine(string.Create(inv, $"  Socket errors: connect 0, read {read}, write 0, timeout {timeouts}"));
}

if (non2xx > 0)
{
    Console.WriteLine(string.Create(inv, $"  Non-2xx or 3xx responses: {non2xx}"));
}

Console.WriteLine(string.Create(inv, $"Requests/sec: {latencies.Length / elapsed:0.00}"));
return 0;

internal sealed class WorkerResult
{
    public List<double> Latencies { get; } = new(100_000);

    public int Non2xx { get; set; }

    public int ReadErrors { get; set; }

    public int Timeouts { get; set; }
}
