namespace Gateway.Service.Disclosure;

/// <summary>A field that was present but does not leave the node, and why (a name and a reason, never the value).</summary>
public sealed record WithheldField(string Path, string Reason);
