namespace Gateway.Service.Delivery;

/// <summary>Exponential backoff with jitter and a cap: the delay before attempt n+1 after n failed attempts.</summary>
internal sealed class RetrySchedule(DeliveryOptions options, Random random)
{
    public TimeSpan DelayAfter(int failedAttempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(failedAttempts - 1, 30);
        var baseDelay = Math.Min(options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalMilliseconds);
        var spread = 1 + (options.Jitter * ((random.NextDouble() * 2) - 1));
        var delay = TimeSpan.FromMilliseconds(baseDelay * spread);

        // A peer that says when to come back is believed, within the cap.
        return retryAfter is { } asked && asked > delay ? (asked < options.MaxRetryDelay ? asked : options.MaxRetryDelay) : delay;
    }
}
