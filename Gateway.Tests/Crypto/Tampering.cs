namespace Gateway.Tests.Crypto;

/// <summary>Deterministic corruption of encoded structures.</summary>
internal static class Tampering
{
    /// <summary>
    /// A copy of <paramref name="encoded"/> with bits of one byte flipped (by default the lowest): the byte at
    /// <paramref name="offset"/> within <paramref name="field"/>, which must occur exactly once.
    /// </summary>
    public static byte[] FlipByteWithin(byte[] encoded, byte[] field, int offset, byte mask = 0x01)
    {
        var start = encoded.AsSpan().IndexOf(field);
        Assert.True(start >= 0, "the field to tamper with does not occur in the encoding");
        Assert.True(encoded.AsSpan().LastIndexOf(field) == start, "the field to tamper with occurs more than once");
        Assert.InRange(offset, 0, field.Length - 1);
        return FlipByteAt(encoded, start + offset, mask);
    }

    public static byte[] FlipByteAt(byte[] encoded, int position, byte mask = 0x01)
    {
        var copy = (byte[])encoded.Clone();
        copy[position] ^= mask;
        return copy;
    }
}
