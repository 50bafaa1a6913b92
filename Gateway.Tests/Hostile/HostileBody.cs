namespace Gateway.Tests.Hostile;

/// <summary>One request body of a hostile corpus, named so a failure says which one.</summary>
internal sealed record HostileBody(string Name, byte[] Bytes)
{
    public override string ToString() => $"{Name} ({Bytes.Length} bytes)";
}
