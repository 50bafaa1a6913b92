namespace Gateway.Contracts.People;

/// <summary>
/// Which client certificates are this person's: by the SHA-256 of the certificate, or by subject and issuer (as .NET
/// writes distinguished names, e.g. <c>CN=…, SERIALNUMBER=PNOEE-…, C=EE</c>), which survives the renewal of an eID card.
/// </summary>
public sealed record PersonCertificateDocument
{
    public string? Sha256 { get; init; }

    public string? Subject { get; init; }

    public string? Issuer { get; init; }
}
