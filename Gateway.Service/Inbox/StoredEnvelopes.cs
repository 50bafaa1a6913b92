using Gateway.Contracts.Envelopes;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Envelopes;
using Gateway.Service.Node;

namespace Gateway.Service.Inbox;

/// <summary>Reads envelopes this node accepted earlier (trust was judged on arrival), with the node's own keys and clock.</summary>
internal sealed class StoredEnvelopes(NodeIdentity identity, TimeProvider time)
{
    private readonly EnvelopeOpener _opener = new(identity.DecryptionKeys, identity.Peers, new CertificateValidator(time));

    public EnvelopePayload Read(byte[] envelope) => _opener.ReadStored(envelope);
}
