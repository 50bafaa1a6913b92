using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.DevPki;

namespace Gateway.Bench.EndToEnd;

/// <summary>HTTPS to a node's internal listener as its caseworker: the client certificate from the node's internal CA.</summary>
internal static class CaseworkerHttp
{
    public static HttpClient Create(string pki, string nodeId, int internalPort, TimeSpan timeout)
    {
        var internalCa = X509CertificateLoader.LoadCertificateFromFile(DevPkiLayout.InternalCaFile(pki, nodeId));
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        handler.SslOptions.ClientCertificates = [DevPkiLayout.LoadClientCertificate(pki, nodeId, DevClientRoles.Caseworker)];
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
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
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{internalPort}"), Timeout = timeout };
    }
}
