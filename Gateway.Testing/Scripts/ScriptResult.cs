namespace Gateway.Testing.Scripts;

/// <summary>A finished script: its exit code and what it printed.</summary>
public sealed record ScriptResult(int ExitCode, string Output, string Error);
