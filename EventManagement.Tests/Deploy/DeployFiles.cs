using System.Reflection;
using System.Text.Json.Nodes;
using EventManagement.Tests.EndToEnd;
using YamlDotNet.RepresentationModel;

namespace EventManagement.Tests.Deploy;

/// <summary>Reads the files under deploy/ and what the code says they must agree with.</summary>
internal static class DeployFiles
{
    public static string PathOf(string relative) => Path.Combine(ServiceProcess.RepositoryRoot, relative);

    public static string Text(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>The first YAML document of a file, as a mapping.</summary>
    public static YamlMappingNode Yaml(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Text(relative));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The node at a path of mapping keys and sequence indexes, e.g. ("spec", "template", "spec", "containers", 0).</summary>
    public static YamlNode At(this YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                int index => ((YamlSequenceNode)node).Children[index],
                string key => ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var child)
                    ? child
                    : throw new KeyNotFoundException($"'{key}' missing at {node.Start}"),
                _ => throw new ArgumentException($"Bad path step {step}"),
            };
        }

        return node;
    }

    public static string Scalar(this YamlNode node, params object[] path) => ((YamlScalarNode)node.At(path)).Value ?? string.Empty;

    /// <summary>The key-value pairs of a mapping of scalars (a ConfigMap's data, a compose service's environment).</summary>
    public static IReadOnlyDictionary<string, string> Pairs(this YamlNode node, params object[] path) =>
        ((YamlMappingNode)node.At(path)).Children.ToDictionary(
            static pair => ((YamlScalarNode)pair.Key).Value!,
            static pair => ((YamlScalarNode)pair.Value).Value ?? string.Empty);

    /// <summary>A default from the Api's appsettings.json, by its configuration path (e.g. "Shutdown:Timeout").</summary>
    public static string? AppSetting(string key)
    {
        JsonNode? node = JsonNode.Parse(Text("EventManagement.Api/appsettings.json"));
        foreach (var part in key.Split(':'))
        {
            node = node?[part];
        }

        return node?.ToString();
    }

    /// <summary>
    /// True when the Api reads a setting of this environment-variable name: a key of appsettings.json, a property of
    /// an options class of that section, or one of the settings read by name (PORT, EXTERNAL_API_BASE_URL).
    /// </summary>
    public static bool IsKnownSetting(string variable)
    {
        var key = variable.Replace("__", ":", StringComparison.Ordinal);
        if (key is EventManagement.Api.Hosting.ListeningPort.Variable or EventManagement.Infrastructure.DependencyInjection.BaseUrlVariable
            || AppSetting(key) is not null)
        {
            return true;
        }

        var parts = key.Split(':');
        return parts.Length == 2 && OptionsSections.TryGetValue(parts[0], out var properties) && properties.Contains(parts[1]);
    }

    /// <summary>Every options class (a type with a SectionName constant) of the Api's assemblies, by section.</summary>
    private static readonly Dictionary<string, HashSet<string>> OptionsSections = new[]
        {
            typeof(Program).Assembly,
            typeof(EventManagement.Application.DependencyInjection).Assembly,
            typeof(EventManagement.Infrastructure.DependencyInjection).Assembly,
        }
        .SelectMany(static assembly => assembly.GetTypes())
        .Select(static type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(static options => options.Field is { IsLiteral: true })
        .GroupBy(static options => (string)options.Field!.GetRawConstantValue()!)
        .ToDictionary(
            static group => group.Key,
            static group => group.SelectMany(static options => options.Type.GetProperties().Select(static property => property.Name)).ToHashSet());
}
