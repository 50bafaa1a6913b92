namespace Gateway.Tests.Federation;

/// <summary>
/// A request body of <paramref name="length"/> filler bytes made as they are read, never held in memory, that counts
/// how many the client actually took: the measure of how much of an oversized body the receiver made it send.
/// </summary>
internal sealed class PeerEndpointFillerBody(long length) : Stream
{
    private long _produced;

    public long Produced => Interlocked.Read(ref _produced);

    public override bool CanRead => true;

    // Not seekable, so HttpClient neither rewinds it nor learns a length the test did not declare.
    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - Produced);
        buffer[..count].Fill((byte)'0');
        Interlocked.Add(ref _produced, count);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
