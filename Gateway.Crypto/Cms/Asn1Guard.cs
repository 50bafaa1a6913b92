namespace Gateway.Crypto.Cms;

/// <summary>
/// Walks the TLV structure of untrusted input before any parser sees it, so that a hostile envelope (declared
/// lengths past the end, nesting deep enough to exhaust the stack) is refused as MALFORMED in linear time with
/// constant stack instead of reaching BouncyCastle's recursive parser.
/// </summary>
internal static class Asn1Guard
{
    /// <summary>Deep enough for CMS nested in CMS with certificates inside; far below any stack limit.</summary>
    public const int MaxDepth = 48;

    public static void EnsureWellFormed(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            throw Malformed("the input is empty");
        }

        // Each open constructed element: where it ends (-1 for indefinite length).
        Span<int> ends = stackalloc int[MaxDepth + 1];
        var depth = 0;
        ends[0] = input.Length;
        var position = 0;
        var sawRoot = false;

        while (true)
        {
            // Close every definite-length element that ends here.
            while (depth > 0 && ends[depth] >= 0 && position == ends[depth])
            {
                depth--;
            }

            if (depth == 0 && sawRoot)
            {
                if (position != input.Length)
                {
                    throw Malformed("trailing bytes after the outer structure");
                }

                return;
            }

            var limit = FirstDefiniteEnd(ends, depth, input.Length);
            if (position >= limit)
            {
                throw Malformed("the structure ends before its declared length");
            }

            // End-of-contents of an indefinite-length element.
            if (input[position] == 0 && position + 1 < limit && input[position + 1] == 0 && depth > 0 && ends[depth] < 0)
            {
                position += 2;
                depth--;
                continue;
            }

            var tag = input[position++];
            if ((tag & 0x1F) == 0x1F)
            {
                // High tag number: base-128 continuation bytes.
                var tagBytes = 0;
                do
                {
                    if (position >= limit || ++tagBytes > 4)
                    {
                        throw Malformed("tag number too long");
                    }
                }
                while ((input[position++] & 0x80) != 0);
            }

            if (position >= limit)
            {
                throw Malformed("missing length");
            }

            var constructed = (tag & 0x20) != 0;
            int length;
            var first = input[position++];
            if (first < 0x80)
            {
                length = first;
            }
            else if (first == 0x80)
            {
                if (!constructed)
                {
                    throw Malformed("indefinite length on a primitive element");
                }

                length = -1;
            }
            else
            {
                var count = first & 0x7F;
                if (count > 4 || position + count > limit)
                {
                    throw Malformed("length field too long");
                }

                long value = 0;
                for (var i = 0; i < count; i++)
                {
                    value = (value << 8) | input[position++];
                }

                if (value > limit - position)
                {
                    throw Malformed("declared length runs past the end of its container");
                }

                length = (int)value;
            }

            // Short-form lengths too: a definite length must fit in what is left of its container.
            if (length > limit - position)
            {
                throw Malformed("declared length runs past the end of its container");
            }

            sawRoot = true;
            if (constructed)
            {
                if (depth == MaxDepth)
                {
                    throw Malformed($"nested deeper than {MaxDepth} levels");
                }

                depth++;
                ends[depth] = length < 0 ? -1 : position + length;
            }
            else
            {
                position += length;
            }
        }
    }

    private static int FirstDefiniteEnd(Span<int> ends, int depth, int inputLength)
    {
        for (var i = depth; i > 0; i--)
        {
            if (ends[i] >= 0)
            {
                return ends[i];
            }
        }

        return inputLength;
    }

    private static EnvelopeException Malformed(string reason) =>
        new(EnvelopeErrorCodes.Malformed, $"not a well-formed DER/BER structure: {reason}");
}
