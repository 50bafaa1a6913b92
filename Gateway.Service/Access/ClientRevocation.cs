using Gateway.Crypto.Certificates;
using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Access;

/// <summary>
/// The CRLs of the authorities that issue personal certificates (<see cref="AccessOptions.ClientCrlFiles"/>), read and
/// kept current exactly as the partners' CRLs are (<see cref="CrlWatcher"/>): revoking a caseworker's certificate takes
/// effect when the CRL file is replaced, without a restart.
/// </summary>
internal sealed class ClientRevocation
{
    public ClientRevocation(IOptions<AccessOptions> access, IOptions<NodeOptions> node)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(node);
        Files = new CrlFiles(access.Value.ClientCrlFiles, $"{AccessOptions.Section}:{nameof(AccessOptions.ClientCrlFiles)}");
        Store = new CrlStore(Files.Lists, node.Value.CrlGracePeriod);
    }

    public CrlFiles Files { get; }

    public CrlStore Store { get; }
}
