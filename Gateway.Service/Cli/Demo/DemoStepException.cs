namespace Gateway.Service.Cli.Demo;

/// <summary>A step of the demo could not go on; the message names ids, nodes and codes, never a field's value.</summary>
internal sealed class DemoStepException(string message) : Exception(message);
