using Gateway.Service.Disclosure;

namespace Gateway.Service.Cli.Demo;

/// <summary>What <c>POST /api/v1/referrals/preview</c> says would leave, by field name; the previewed body is not bound.</summary>
internal sealed record PreviewView
{
    public required string DisclosureProfile { get; init; }

    public required IReadOnlyList<string> DisclosedFields { get; init; }

    public required IReadOnlyList<WithheldField> Withheld { get; init; }
}
