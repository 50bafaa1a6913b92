using Gateway.Bench.Machine;

namespace Gateway.Bench.Crypto;

/// <summary>Everything one <c>crypto</c> run measured, as written to <c>docs/benchmarks/crypto-*.json</c>.</summary>
internal sealed record CryptoResults
{
    public required DateTimeOffset StartedAt { get; init; }

    public required MachineInfo Machine { get; init; }

    public required string LoadAverageAtEnd { get; init; }

    public required int SecondsPerMeasurement { get; init; }

    public required IReadOnlyList<GatewayOperationResult> Gateway { get; init; }

    public required OpenSslResults OpenSsl { get; init; }

    public required IReadOnlyList<ComponentResult> Components { get; init; }

    public required IReadOnlyList<MemoryProbeResult> Memory { get; init; }
}

/// <summary>
/// One gateway operation at one payload size, beside what the same primitives cost in <c>openssl speed</c>:
/// <see cref="OpenSslModelMicroseconds"/> is the brief's model (key agreement or RSA op + ECDSA + AES-GCM over the
/// payload), <see cref="OpenSslFullModelMicroseconds"/> adds what a CMS envelope also needs (SHA-256 over the
/// payload; for an EC seal the ephemeral key, costed as one ECDSA sign).
/// </summary>
internal sealed record GatewayOperationResult
{
    public required string Kind { get; init; }

    public required string Operation { get; init; }

    public required int PayloadBytes { get; init; }

    public required int EnvelopeBytes { get; init; }

    public required long Operations { get; init; }

    public required double WallSeconds { get; init; }

    public required double CpuSeconds { get; init; }

    /// <summary>Operations per wall-clock second on one thread.</summary>
    public required double PerSecond { get; init; }

    public required double WallMicroseconds { get; init; }

    /// <summary>CPU time per operation (this process, every thread): what the ratios use, as openssl speed counts CPU time.</summary>
    public required double MicrosecondsPerOperation { get; init; }

    /// <summary>Cores kept busy by other processes meanwhile: contention on a shared machine.</summary>
    public required double OtherCpuCores { get; init; }

    public required double AllocatedBytesPerOperation { get; init; }

    public required double OpenSslModelMicroseconds { get; init; }

    public required double OpenSslFullModelMicroseconds { get; init; }

    /// <summary>Gateway time / OpenSSL model time: 1 is parity, the target is ≤ 2.</summary>
    public double Ratio => MicrosecondsPerOperation / OpenSslModelMicroseconds;

    public double FullRatio => MicrosecondsPerOperation / OpenSslFullModelMicroseconds;
}
