namespace Gateway.Tests.Crypto;

/// <summary>A clock the test sets: certificate and CRL validity judged at any moment without waiting for it.</summary>
internal sealed class MovableTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
