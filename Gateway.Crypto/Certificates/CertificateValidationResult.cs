namespace Gateway.Crypto.Certificates;

/// <summary>
/// The verdict on one certificate. Warnings (a stale CRL, an issuer without a CRL) do not fail validation but
/// must reach an operator: a stale CRL is an alert, never a silent pass.
/// </summary>
public sealed record CertificateValidationResult
{
    public string? FailureCode { get; init; }

    public string? FailureReason { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public bool IsValid => FailureCode is null;

    public void ThrowIfInvalid()
    {
        if (FailureCode is not null)
        {
            throw new EnvelopeException(FailureCode, FailureReason ?? FailureCode);
        }
    }
}
