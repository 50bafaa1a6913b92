namespace Gateway.Tests.Hostile;

/// <summary>
/// Random mutations of one valid envelope: byte flips, inserts and deletes, truncations, duplicated ranges and changed
/// length bytes, one to three per mutation. Mutation <c>i</c> under a seed is always the same edit of the same
/// positions, so a failure is reproduced with the printed seed (the envelope itself is sealed afresh every run: CMS
/// is randomized, so a failing input is also dumped byte for byte).
/// </summary>
internal sealed class EnvelopeMutator(byte[] original, int seed)
{
    private const int MaxOperations = 3;
    private const int MaxRange = 64;

    private readonly DerHeader[] _headers = [.. DerHeader.Walk(original)];

    public EnvelopeMutation Mutate(int index)
    {
        var random = HostileSeed.For(seed, index);
        var bytes = original;
        var done = new List<string>();
        var operations = random.Next(1, MaxOperations + 1);
        for (var i = 0; i < operations || bytes.AsSpan().SequenceEqual(original); i++)
        {
            bytes = Apply(bytes, random, done);
        }

        return new EnvelopeMutation(index, string.Join("; ", done), bytes);
    }

    private byte[] Apply(byte[] bytes, Random random, List<string> done)
    {
        if (bytes.Length == 0)
        {
            done.Add("insert@0");
            return [(byte)random.Next(256)];
        }

        switch (random.Next(6))
        {
            case 0:
            {
                var position = random.Next(bytes.Length);
                var mask = (byte)random.Next(1, 256);
                done.Add($"flip@{position}^0x{mask:X2}");
                var flipped = (byte[])bytes.Clone();
                flipped[position] ^= mask;
                return flipped;
            }

            case 1:
            {
                var position = random.Next(bytes.Length + 1);
                var value = (byte)random.Next(256);
                done.Add($"insert@{position}=0x{value:X2}");
                return [.. bytes[..position], value, .. bytes[position..]];
            }

            case 2:
            {
                var position = random.Next(bytes.Length);
                var count = Math.Min(random.Next(1, 9), bytes.Length - position);
                done.Add($"delete[{position}..{position + count})");
                return [.. bytes[..position], .. bytes[(position + count)..]];
            }

            case 3:
            {
                var cut = random.Next(bytes.Length);
                done.Add($"truncate@{cut}");
                return bytes[..cut];
            }

            case 4:
            {
                var start = random.Next(bytes.Length);
                var count = Math.Min(random.Next(1, MaxRange + 1), bytes.Length - start);
                var at = random.Next(bytes.Length + 1);
                done.Add($"duplicate[{start}..{start + count})@{at}");
                return [.. bytes[..at], .. bytes[start..(start + count)], .. bytes[at..]];
            }

            default:
            {
                // A length byte of one of the original's TLVs; earlier edits may have moved it, which is fine: the
                // description names the position that was changed.
                var header = _headers[random.Next(_headers.Length)];
                var position = header.LengthOffset + random.Next(header.LengthBytes);
                if (position >= bytes.Length)
                {
                    goto case 0;
                }

                var value = (byte)random.Next(256);
                done.Add($"length-byte@{position}=0x{value:X2} (was 0x{bytes[position]:X2})");
                var changed = (byte[])bytes.Clone();
                changed[position] = value;
                return changed;
            }
        }
    }
}
