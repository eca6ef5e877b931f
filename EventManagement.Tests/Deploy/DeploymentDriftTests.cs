using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EventManagement.Api.Hosting;
using EventManagement.Tests.Integration.Api;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using YamlDotNet.RepresentationModel;

namespace EventManagement.Tests.Deploy;

/// <summary>
/// deploy/ (Dockerfile, compose.yaml, kubernetes/*.yaml, the nginx template) agrees with the code: ports, probe
/// paths, setting names and values the Api accepts, and shutdown times that cover the drain. Fails when they drift.
/// </summary>
public sealed partial class DeploymentDriftTests
{
    private const string Deployment = "deploy/kubernetes/deployment.yaml";
    private const string ConfigMap = "deploy/kubernetes/configmap.yaml";
    private const string Compose = "deploy/compose.yaml";

    private static YamlNode Container => DeployFiles.Yaml(Deployment).At("spec", "template", "spec", "containers", 0);

    private static IReadOnlyDictionary<string, string> ConfigMapData => DeployFiles.Yaml(ConfigMap).Pairs("data");

    [Test]
    public void Dockerfile_PortsAndEntryPointsAreThePrograms()
    {
        var dockerfile = DeployFiles.Text("deploy/Dockerfile");
        var api = Stage(dockerfile, "api");
        var mockApi = Stage(dockerfile, "mockapi");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(api, Does.Contain($"ENV PORT={ListeningPort.Default}").And.Contain($"EXPOSE {ListeningPort.Default}"));
            Assert.That(api, Does.Contain("ENTRYPOINT [\"dotnet\", \"EventManagement.Api.dll\"]"));
            var mockPort = EventManagement.MockApi.Hosting.ListeningPort.DefaultPort;
            Assert.That(mockApi, Does.Contain($"ENV PORT={mockPort}").And.Contain($"EXPOSE {mockPort}"));
            Assert.That(mockApi, Does.Contain("ENTRYPOINT [\"dotnet\", \"EventManagement.MockApi.dll\"]"));
            Assert.That(dockerfile, Does.Contain("USER $APP_UID"), "non-root");
        }
    }

    [Test]
    public void Dockerfile_CopiesEveryFileAndProjectTheBuildNeeds()
    {
        var dockerfile = DeployFiles.Text("deploy/Dockerfile");
        var sources = CopySource().Matches(dockerfile).SelectMany(static copy => copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

        Assert.That(sources.Where(static source => !File.Exists(DeployFiles.PathOf(source)) && !Directory.Exists(DeployFiles.PathOf(source))), Is.Empty, "COPY of a path that does not exist");
        var projects = Directory.GetFiles(DeployFiles.PathOf("EventManagement.Api"), "*.csproj")
            .Concat(References(DeployFiles.PathOf("EventManagement.Api/EventManagement.Api.csproj")))
            .Select(static project => Path.GetFileName(Path.GetDirectoryName(project))!);
        Assert.That(projects.Where(project => !sources.Contains(project + "/")), Is.Empty, "a project the Api builds from is not copied");
    }

    [Test]
    public void Kubernetes_PortsAndProbesAreTheApis()
    {
        var container = Container;
        var env = ((YamlSequenceNode)container.At("env")).Children.ToDictionary(static item => item.Scalar("name"), static item => item.Scalar("value"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(container.Scalar("ports", 0, "containerPort"), Is.EqualTo(env[ListeningPort.Variable]));
            Assert.That(container.Scalar("livenessProbe", "httpGet", "path"), Is.EqualTo("/healthz"));
            Assert.That(container.Scalar("readinessProbe", "httpGet", "path"), Is.EqualTo("/readyz"));
            Assert.That(container.Scalar("startupProbe", "httpGet", "path"), Is.EqualTo("/healthz"));
            foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            {
                Assert.That(container.Scalar(probe, "httpGet", "port"), Is.EqualTo(container.Scalar("ports", 0, "name")), probe);
            }
        }
    }

    [Test]
    public async Task Kubernetes_ProbePathsAnswerOnTheApi()
    {
        await using var api = new ApiFactory();
        using var client = api.CreateClient();
        var container = Container;

        foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
        {
            using var response = await client.GetAsync(container.Scalar(probe, "httpGet", "path"));
            Assert.That(response.StatusCode, Is.Not.EqualTo(HttpStatusCode.NotFound), probe);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), probe);
        }
    }

    [Test]
    public void Kubernetes_GracePeriodCoversPreStopAndTheApisShutdownTimeout()
    {
        var spec = DeployFiles.Yaml(Deployment).At("spec", "template", "spec");
        var grace = int.Parse(spec.Scalar("terminationGracePeriodSeconds"), CultureInfo.InvariantCulture);
        var preStop = int.Parse(Container.Scalar("lifecycle", "preStop", "sleep", "seconds"), CultureInfo.InvariantCulture);
        var timeout = Setting(ConfigMapData, "Shutdown:Timeout");
        var drain = Setting(ConfigMapData, "Shutdown:DrainDelay");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(TimeSpan.FromSeconds(grace), Is.GreaterThan(TimeSpan.FromSeconds(preStop) + timeout), "terminationGracePeriodSeconds > preStop + Shutdown:Timeout");
            Assert.That(drain, Is.LessThan(timeout), "the drain fits in the shutdown timeout");
        }
    }

    [Test]
    public void Kubernetes_ServiceHpaAndConfigMapPointAtTheDeployment()
    {
        var deployment = DeployFiles.Yaml(Deployment);
        var name = deployment.Scalar("metadata", "name");
        var labels = deployment.Pairs("spec", "template", "metadata", "labels");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(DeployFiles.Yaml("deploy/kubernetes/service.yaml").Pairs("spec", "selector"), Is.SubsetOf(labels));
            Assert.That(DeployFiles.Yaml("deploy/kubernetes/service.yaml").Scalar("spec", "ports", 0, "targetPort"), Is.EqualTo(Container.Scalar("ports", 0, "name")));
            Assert.That(DeployFiles.Yaml("deploy/kubernetes/hpa.yaml").Scalar("spec", "scaleTargetRef", "name"), Is.EqualTo(name));
            Assert.That(Container.Scalar("envFrom", 0, "configMapRef", "name"), Is.EqualTo(DeployFiles.Yaml(ConfigMap).Scalar("metadata", "name")));
            Assert.That(Container.At("resources", "requests").Pairs(), Contains.Key("cpu"), "the HPA scales on CPU, which needs a request");
        }
    }

    [Test]
    public void ConfigMapAndCompose_NameOnlySettingsTheApiReads()
    {
        var compose = DeployFiles.Yaml(Compose);
        var names = ConfigMapData.Keys.Concat(compose.Pairs("services", "api", "environment").Keys);

        Assert.That(names.Where(static name => !DeployFiles.IsKnownSetting(name)), Is.Empty);
    }

    [Test]
    public async Task ConfigMap_ValuesPassTheApisValidation()
    {
        // Addresses of other services are left out: only their names are checked (above).
        var settings = ConfigMapData
            .Where(static pair => pair.Key is not ("EXTERNAL_API_BASE_URL" or "Cache__Redis"))
            .ToDictionary(static pair => pair.Key.Replace("__", ":", StringComparison.Ordinal), static pair => (string?)pair.Value);
        await using var api = new ApiFactory(settings);

        // Every setting is validated on start, as in a pod; the ConfigMap's 5 s drain would only slow the test's stop.
        using var client = api.WithWebHostBuilder(static builder => builder.ConfigureTestServices(static services =>
            services.Remove(services.Single(static service => service.ImplementationType == typeof(ShutdownDrainService))))).CreateClient();
        using var response = await client.GetAsync("/healthz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Compose_PortsProxyAndGracePeriodAgree()
    {
        var services = DeployFiles.Yaml(Compose).At("services");
        var api = services.Pairs("api", "environment");
        var nginx = services.Pairs("nginx", "environment");
        var stopGrace = TimeSpan.FromSeconds(int.Parse(services.Scalar("api", "stop_grace_period").TrimEnd('s'), CultureInfo.InvariantCulture));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(api[ListeningPort.Variable], Is.EqualTo(ListeningPort.Default.ToString(CultureInfo.InvariantCulture)));
            Assert.That(nginx["API_SERVERS"], Does.Contain($"server api:{api[ListeningPort.Variable]} "));
            Assert.That(services.Scalar("nginx", "ports", 0), Does.EndWith(":" + nginx["NGINX_PORT"]));
            Assert.That(api["ForwardedHeaders__KnownProxies"], Is.EqualTo(services.Scalar("nginx", "networks", "default", "ipv4_address")));
            Assert.That(api["EXTERNAL_API_BASE_URL"], Does.EndWith(":" + services.Scalar("mockapi", "environment", "PORT")));
            Assert.That(stopGrace, Is.GreaterThan(Setting(api, "Shutdown:Timeout")), "stop_grace_period > Shutdown:Timeout");
            Assert.That(Directory.Exists(DeployFiles.PathOf("deploy/" + services.Scalar("nginx", "volumes", 0).Split(':')[0])), Is.True, "nginx templates volume");
        }
    }

    [Test]
    public void NginxTemplate_RetriesOnlyIdempotentRequestsAndDropsIdleConnectionsInsideTheDrain()
    {
        var template = DeployFiles.Text("deploy/nginx/templates/eventmanagement.conf.template");
        var directives = string.Join('\n', template.Split('\n').Select(static line => line.Split('#')[0]));
        var keepalive = TimeSpan.FromSeconds(int.Parse(KeepaliveTimeout().Match(directives).Groups["seconds"].Value, CultureInfo.InvariantCulture));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(directives, Does.Contain("proxy_next_upstream error timeout http_503;"));
            Assert.That(directives, Does.Not.Contain("non_idempotent"));
            Assert.That(directives, Does.Contain("proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;"));
            Assert.That(keepalive, Is.LessThan(TimeSpan.Parse(DeployFiles.AppSetting("Shutdown:DrainDelay")!, CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>A setting from the given environment (Section__Key) or else appsettings.json's default, as a duration.</summary>
    private static TimeSpan Setting(IReadOnlyDictionary<string, string> environment, string key) =>
        TimeSpan.Parse(
            environment.TryGetValue(key.Replace(":", "__", StringComparison.Ordinal), out var value) ? value : DeployFiles.AppSetting(key)!,
            CultureInfo.InvariantCulture);

    private static string Stage(string dockerfile, string name)
    {
        var start = dockerfile.IndexOf($" AS {name}\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThan(0), $"stage {name}");
        var next = dockerfile.IndexOf("\nFROM ", start, StringComparison.Ordinal);
        return next < 0 ? dockerfile[start..] : dockerfile[start..next];
    }

    private static IEnumerable<string> References(string project) =>
        ProjectReference().Matches(File.ReadAllText(project))
            .Select(match => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, match.Groups["path"].Value.Replace('\\', '/'))))
            .SelectMany(static reference => References(reference).Prepend(reference));

    [GeneratedRegex(@"^COPY (?!--from)(?:--\S+ )*(?<sources>.+) \S+$", RegexOptions.Multiline)]
    private static partial Regex CopySource();

    [GeneratedRegex("<ProjectReference Include=\"(?<path>[^\"]+)\"")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"keepalive_timeout (?<seconds>\d+)s;")]
    private static partial Regex KeepaliveTimeout();
}
