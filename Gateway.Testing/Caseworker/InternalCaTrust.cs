using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Gateway.Testing.Caseworker;

/// <summary>How a client of a node's internal listener trusts it: the server certificate must chain to the node's own internal CA.</summary>
public static class InternalCaTrust
{
    public static RemoteCertificateValidationCallback ChainsTo(X509Certificate2 internalCa) => (_, certificate, _, _) =>
    {
        if (certificate is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(internalCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(presented);
    };
}
