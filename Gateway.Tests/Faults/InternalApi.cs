using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.DevPki;

namespace Gateway.Tests.Faults;

/// <summary>HTTPS clients for a node's internal listener, as the caseworker of that node (client certificate from its internal CA).</summary>
internal static class InternalApi
{
    public static HttpClient Caseworker(string pki, string nodeId, int internalPort, TimeSpan timeout)
    {
        var internalCa = X509CertificateLoader.LoadCertificateFromFile(DevPkiLayout.InternalCaFile(pki, nodeId));
        var handler = new SocketsHttpHandler
        {
            // A killed node leaves dead pooled connections behind; new ones go to whatever listens now.
            PooledConnectionLifetime = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
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
            return chain.Build(new X509Certificate2(certificate));
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{internalPort}"), Timeout = timeout };
    }
}
