using System.Globalization;
using System.Text;

namespace Gateway.Tests.Federation;

/// <summary>The bytes a raw HTTP/1.1 exchange got back, read as status, headers and body. Empty when the server said nothing.</summary>
internal sealed class PeerEndpointRawAnswer(byte[] received)
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    public byte[] Received { get; } = received;

    /// <summary>The status code of the first status line, or null when no complete head came back.</summary>
    public int? Status => Head() is { } head && head.Split("\r\n")[0].Split(' ') is [_, var code, ..] ? int.Parse(code, CultureInfo.InvariantCulture) : null;

    public string? Header(string name) =>
        Head()?.Split("\r\n").Skip(1)
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(parts => parts[1].Trim())
            .FirstOrDefault();

    /// <summary>The body, de-chunked when the server sent it chunked.</summary>
    public byte[] Body()
    {
        var end = Received.AsSpan().IndexOf(EndOfHead);
        if (end < 0)
        {
            return [];
        }

        var raw = Received.AsSpan(end + EndOfHead.Length);
        return string.Equals(Header("Transfer-Encoding"), "chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(raw) : raw.ToArray();
    }

    private string? Head()
    {
        var end = Received.AsSpan().IndexOf(EndOfHead);
        return end < 0 ? null : Encoding.ASCII.GetString(Received, 0, end);
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> raw)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var lineEnd = raw.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return body.ToArray();
            }

            var size = int.Parse(Encoding.ASCII.GetString(raw[..lineEnd]).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            raw = raw[(lineEnd + 2)..];
            if (size == 0 || raw.Length < size)
            {
                return body.ToArray();
            }

            body.Write(raw[..size]);
            raw = raw[Math.Min(raw.Length, size + 2)..];
        }
    }
}
