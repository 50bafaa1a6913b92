using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto.DevPki;

namespace Gateway.Testing.Caseworker;

/// <summary>HTTPS to a node's internal listener as its caseworker: the client certificate from the node's internal CA, in a development PKI folder.</summary>
public static class CaseworkerHttp
{
    /// <param name="pki">The folder <c>gateway pki init-dev</c> (or <c>DevFederation.WriteTo</c>) wrote.</param>
    /// <param name="nodeId">The node whose caseworker this is, and whose internal listener is trusted.</param>
    /// <param name="internalPort">The node's internal listener on localhost.</param>
    /// <param name="timeout">The <see cref="HttpClient.Timeout"/> of each request.</param>
    /// <param name="pooledConnectionLifetime">
    /// How long a pooled connection is used; none (the default) keeps it while it lives. For a node that is killed and
    /// started again: a killed node leaves dead pooled connections behind, and new ones go to whatever listens now.
    /// </param>
    public static HttpClient Create(string pki, string nodeId, int internalPort, TimeSpan timeout, TimeSpan? pooledConnectionLifetime = null)
    {
        var internalCa = X509CertificateLoader.LoadCertificateFromFile(DevPkiLayout.InternalCaFile(pki, nodeId));
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = pooledConnectionLifetime ?? Timeout.InfiniteTimeSpan,
        };
        handler.SslOptions.ClientCertificates = [DevPkiLayout.LoadClientCertificate(pki, nodeId, DevClientRoles.Caseworker)];
        handler.SslOptions.RemoteCertificateValidationCallback = InternalCaTrust.ChainsTo(internalCa);
        return new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{internalPort}"), Timeout = timeout };
    }
}
