namespace Gateway.Tests.Hostile;

/// <summary>
/// DER that the envelope guard must refuse whatever the random parts of an envelope hold: each item breaks the TLV
/// structure in a way <c>Asn1Guard</c> detects before any parser runs, so MALFORMED is the only right answer.
/// </summary>
internal static class MalformedDer
{
    public const int DeepNesting = 10_000;

    /// <summary>Every proper prefix of the envelope: the outer declared length then always runs past the end.</summary>
    public static IEnumerable<HostileBody> Truncations(byte[] envelope) =>
        Enumerable.Range(1, envelope.Length - 1).Select(cut => new HostileBody($"truncated to {cut} of {envelope.Length} bytes", envelope[..cut]));

    /// <summary>
    /// Per TLV of the envelope: a declared length past the end of the input, the same length in a length field longer
    /// than four bytes, and (constructed elements) a length one short, so its last child overruns it.
    /// </summary>
    public static IEnumerable<HostileBody> WrongLengths(byte[] envelope)
    {
        foreach (var header in DerHeader.Walk(envelope))
        {
            yield return WithLength(envelope, header, $"TLV at {header.TagOffset}: declared length past the end", DerHeader.EncodeLength(envelope.Length + 8));
            yield return WithLength(envelope, header, $"TLV at {header.TagOffset}: length in a 5-byte field", [0x85, 0, .. BigEndian(header.Length)]);
            yield return WithLength(envelope, header, $"TLV at {header.TagOffset}: length in an 8-byte field", [0x88, 0, 0, 0, 0, .. BigEndian(header.Length)]);
            if (header.Constructed && header.Length > 0)
            {
                yield return WithLength(envelope, header, $"TLV at {header.TagOffset}: constructed, declared one byte short", DerHeader.EncodeLength(header.Length - 1));
            }
        }
    }

    /// <summary>Length fields that claim 2^31 bytes and more, alone and in place of a real envelope's lengths.</summary>
    public static IEnumerable<HostileBody> HugeLengths(byte[] envelope)
    {
        byte[] filler = [.. Enumerable.Repeat((byte)0x04, 16)];
        yield return new HostileBody("SEQUENCE claiming 2^31 bytes", [0x30, 0x84, 0x80, 0x00, 0x00, 0x00, .. filler]);
        yield return new HostileBody("SEQUENCE claiming 2^31-1 bytes", [0x30, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, .. filler]);
        yield return new HostileBody("SEQUENCE claiming 2^32-1 bytes", [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, .. filler]);
        yield return new HostileBody("OCTET STRING claiming 2^31 bytes", [0x04, 0x84, 0x80, 0x00, 0x00, 0x00, .. filler]);
        yield return new HostileBody("[0] claiming 2^31 bytes", [0xA0, 0x84, 0x80, 0x00, 0x00, 0x00, .. filler]);
        yield return new HostileBody("SEQUENCE claiming 2^31 bytes in an 8-byte field", [0x30, 0x88, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, .. filler]);
        yield return new HostileBody("SEQUENCE claiming 2^63-1 bytes", [0x30, 0x88, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. filler]);
        yield return new HostileBody("SEQUENCE with the reserved length byte 0xFF", [0x30, 0xFF, .. filler]);
        yield return new HostileBody("SEQUENCE of indefinite length never closed", [0x30, 0x80, .. filler]);

        var headers = DerHeader.Walk(envelope);
        byte[] twoToThe31 = [0x84, 0x80, 0x00, 0x00, 0x00];
        yield return WithLength(envelope, headers[0], "the envelope's outer length claiming 2^31 bytes", twoToThe31);
        var largest = headers.Where(header => !header.Constructed).MaxBy(header => header.Length)!;
        yield return WithLength(envelope, largest, $"the envelope's largest primitive (at {largest.TagOffset}) claiming 2^31 bytes", twoToThe31);
    }

    /// <summary>Nesting far past the guard's depth limit, in definite and indefinite form, and just one level past it.</summary>
    public static IEnumerable<HostileBody> DeepNestings()
    {
        yield return new HostileBody($"{DeepNesting} nested SEQUENCEs, definite lengths", NestedDefinite(0x30, DeepNesting));
        yield return new HostileBody($"{DeepNesting} nested SETs, definite lengths", NestedDefinite(0x31, DeepNesting));
        yield return new HostileBody($"{DeepNesting} nested SEQUENCEs, indefinite lengths", NestedIndefinite(0x30, DeepNesting));
        yield return new HostileBody($"{DeepNesting} nested [0], indefinite lengths", NestedIndefinite(0xA0, DeepNesting));
        yield return new HostileBody($"{DeepNesting} nested SEQUENCEs, indefinite and never closed", NestedIndefinite(0x30, DeepNesting)[..(DeepNesting * 2)]);
        yield return new HostileBody("49 nested SEQUENCEs, one past the guard's limit", NestedDefinite(0x30, Gateway.Crypto.Cms.Asn1Guard.MaxDepth + 1));
    }

    /// <summary>SEQUENCEs (or another constructed tag) of definite length, each holding the next; the innermost is empty.</summary>
    public static byte[] NestedDefinite(byte tag, int depth)
    {
        var buffer = new byte[depth * 4];
        var start = buffer.Length;
        for (var level = 0; level < depth; level++)
        {
            byte[] header = [tag, .. DerHeader.EncodeLength(buffer.Length - start)];
            start -= header.Length;
            header.CopyTo(buffer, start);
        }

        return buffer[start..];
    }

    /// <summary>Constructed elements of indefinite length, each holding the next, closed by as many end-of-contents.</summary>
    public static byte[] NestedIndefinite(byte tag, int depth)
    {
        var bytes = new byte[depth * 4];
        for (var level = 0; level < depth; level++)
        {
            bytes[2 * level] = tag;
            bytes[(2 * level) + 1] = 0x80;
        }

        return bytes;
    }

    private static HostileBody WithLength(byte[] envelope, DerHeader header, string name, byte[] lengthField) =>
        new(name, [.. envelope[..header.LengthOffset], .. lengthField, .. envelope[header.ContentOffset..]]);

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
