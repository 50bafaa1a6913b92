using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Access;

/// <summary>
/// A personal client certificate on the internal listener (DESIGN §14): chained to the node's internal CA or a
/// configured one (national eID), valid now, with clientAuth, not revoked by its CA's CRL — and given to a person by
/// people.json. Judged with the same validator as partners' certificates, so CRLs follow the same rules (newest per
/// issuer, refused once stale past the grace period) and a replaced CRL file applies without a restart.
/// </summary>
public sealed class PersonalCertificates
{
    private readonly IReadOnlyList<X509Certificate2> _anchors;
    private readonly CertificateValidator _validator;
    private readonly PeopleDirectory _people;

    internal PersonalCertificates(NodeIdentity identity, PeopleDirectory people, IOptions<AccessOptions> options, ClientRevocation revocation, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(revocation);
        _people = people;
        _anchors = [identity.InternalClientCa, .. options.Value.ClientCertificateAuthorities.Select(X509CertificateLoader.LoadCertificateFromFile)];
        _validator = new CertificateValidator(time, revocation.Store);
    }

    /// <summary>The trust anchors the TLS handshake and the certificate handler build chains to.</summary>
    public IReadOnlyList<X509Certificate2> Anchors => _anchors;

    /// <summary>The person, or the code of why there is none.</summary>
    public (Person? Person, string? FailureCode) Authenticate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var anchor = _anchors.FirstOrDefault(candidate => _validator.ChainsTo(certificate, candidate));
        if (anchor is null)
        {
            return (null, AccessCodes.ClientCertificateNotTrusted);
        }

        var result = _validator.Validate(certificate, anchor, CertificateRole.PersonalClient);
        if (!result.IsValid)
        {
            return (null, result.FailureCode == EnvelopeErrorCodes.CertificateRevoked ? AccessCodes.ClientCertificateRevoked : AccessCodes.ClientCertificateNotTrusted);
        }

        return _people.FindByCertificate(certificate) is { } person ? (person, null) : (null, AccessCodes.PersonUnknown);
    }
}
