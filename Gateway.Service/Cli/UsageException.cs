namespace Gateway.Service.Cli;

/// <summary>The command was given something it cannot use; the message says what.</summary>
internal sealed class UsageException(string message) : Exception(message);
