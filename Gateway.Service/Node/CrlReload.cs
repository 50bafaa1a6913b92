namespace Gateway.Service.Node;

/// <summary>What a reload found: the files whose new CRLs now apply, and the broken ones, which keep their previous CRLs.</summary>
internal sealed record CrlReload(IReadOnlyList<string> Changed, IReadOnlyList<(string File, string Problem)> Broken);
