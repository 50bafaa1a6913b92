namespace Gateway.Bench;

/// <summary>A wrong command line: printed with the usage text, exit code 2.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
