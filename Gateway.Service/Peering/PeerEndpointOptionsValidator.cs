using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Peering;

internal sealed class PeerEndpointOptionsValidator : IValidateOptions<PeerEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, PeerEndpointOptions options)
    {
        var problems = new OptionsProblems(PeerEndpointOptions.Section);
        problems.Check(options.MaxEnvelopeBytes > 0, nameof(options.MaxEnvelopeBytes), "must be positive");
        problems.Positive(options.FreshnessWindow, nameof(options.FreshnessWindow));
        problems.Check(options.ClockSkew >= TimeSpan.Zero, nameof(options.ClockSkew), "must not be negative");
        return problems.Result();
    }
}
