namespace Gateway.Tests.Crypto;

internal sealed record OpenSslResult(int ExitCode, string StandardOutput, string StandardError);
