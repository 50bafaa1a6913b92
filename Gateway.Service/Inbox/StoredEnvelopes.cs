using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Envelopes;
using Gateway.Service.Hosting;

namespace Gateway.Service.Inbox;

/// <summary>Reads envelopes this node accepted earlier (trust was judged on arrival).</summary>
internal static class StoredEnvelopes
{
    public static EnvelopePayload Read(NodeIdentity identity, byte[] envelope) =>
        new EnvelopeOpener(identity.DecryptionKeys, identity.Peers, new CertificateValidator(TimeProvider.System)).ReadStored(envelope);
}
