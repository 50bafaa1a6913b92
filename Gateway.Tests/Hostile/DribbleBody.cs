namespace Gateway.Tests.Hostile;

/// <summary>
/// A request body that gives one byte per <paramref name="interval"/>: a client far below Kestrel's minimum request
/// body data rate. Counts what it gave, so a test can tell the server stopped reading long before the end.
/// </summary>
internal sealed class DribbleBody(long length, TimeSpan interval) : Stream
{
    private long _produced;

    public long Produced => Interlocked.Read(ref _produced);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Produced >= length || buffer.IsEmpty)
        {
            return 0;
        }

        await Task.Delay(interval, cancellationToken);
        buffer.Span[0] = (byte)'0';
        Interlocked.Increment(ref _produced);
        return 1;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("read asynchronously");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
