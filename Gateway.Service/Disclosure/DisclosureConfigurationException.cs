namespace Gateway.Service.Disclosure;

/// <summary>A disclosure setting that cannot be right: the node does not start, and the message names the setting.</summary>
public sealed class DisclosureConfigurationException(string setting, string problem) : Exception($"{setting}: {problem}")
{
    public string Setting { get; } = setting;
}
