namespace EventManagement.Api.Hosting;

/// <summary>A setting read outside the options system (such as <c>PORT</c>) is unusable; the program must not start.</summary>
public sealed class InvalidConfigurationException : Exception
{
    public InvalidConfigurationException(string message)
        : base(message)
    {
    }
}
