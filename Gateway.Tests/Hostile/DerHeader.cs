namespace Gateway.Tests.Hostile;

/// <summary>
/// Where one TLV of a DER structure sits: its tag, its length field (<paramref name="LengthBytes"/> long, the first
/// byte included) and the declared length of its contents.
/// </summary>
internal sealed record DerHeader(int TagOffset, int LengthOffset, int LengthBytes, int Length, bool Constructed)
{
    public int ContentOffset => LengthOffset + LengthBytes;

    /// <summary>
    /// Every TLV of a definite-length DER structure, outermost first, in document order. Only for input known to be
    /// well formed (an envelope the sealer just wrote); anything else throws.
    /// </summary>
    public static IReadOnlyList<DerHeader> Walk(ReadOnlySpan<byte> der)
    {
        var headers = new List<DerHeader>();
        var position = 0;
        while (position < der.Length)
        {
            var tagOffset = position;
            var tag = der[position++];
            if ((tag & 0x1F) == 0x1F)
            {
                while ((der[position++] & 0x80) != 0)
                {
                }
            }

            var lengthOffset = position;
            var first = der[position++];
            var length = 0;
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                for (var i = 0; i < (first & 0x7F); i++)
                {
                    length = (length << 8) | der[position++];
                }
            }

            var constructed = (tag & 0x20) != 0;
            headers.Add(new DerHeader(tagOffset, lengthOffset, position - lengthOffset, length, constructed));

            // Into a constructed element's children, over a primitive element's contents.
            position += constructed ? 0 : length;
        }

        return headers;
    }

    /// <summary>The minimal DER length field for <paramref name="length"/>.</summary>
    public static byte[] EncodeLength(int length) => length switch
    {
        < 0x80 => [(byte)length],
        < 0x100 => [0x81, (byte)length],
        < 0x10000 => [0x82, (byte)(length >> 8), (byte)length],
        < 0x1000000 => [0x83, (byte)(length >> 16), (byte)(length >> 8), (byte)length],
        _ => [0x84, (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length],
    };
}
