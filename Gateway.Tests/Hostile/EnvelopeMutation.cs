namespace Gateway.Tests.Hostile;

/// <summary>One random mutation of a valid envelope: its index under the seed, what was done, and the bytes.</summary>
internal sealed record EnvelopeMutation(int Index, string Description, byte[] Bytes)
{
    public override string ToString() => $"#{Index} [{Description}] ({Bytes.Length} bytes)";
}
