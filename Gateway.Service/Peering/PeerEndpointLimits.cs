using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Peering;

/// <summary>No request body beyond the largest envelope accepted, whatever the endpoint.</summary>
internal sealed class PeerEndpointLimits(IOptions<PeerEndpointOptions> options) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions kestrel) => kestrel.Limits.MaxRequestBodySize = options.Value.MaxEnvelopeBytes;
}
