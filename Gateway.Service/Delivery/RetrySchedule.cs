namespace Gateway.Service.Delivery;

/// <summary>Exponential backoff with jitter and a cap: the delay before attempt n+1 after n failed attempts.</summary>
internal sealed class RetrySchedule(Random random)
{
    public TimeSpan DelayAfter(DeliveryPolicy policy, int failedAttempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(failedAttempts - 1, 30);
        var baseDelay = Math.Min(policy.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), policy.MaxRetryDelay.TotalMilliseconds);
        double spread;
        lock (random)
        {
            spread = 1 + (policy.Jitter * ((random.NextDouble() * 2) - 1));
        }

        var delay = TimeSpan.FromMilliseconds(baseDelay * spread);

        // A peer that says when to come back is believed, within the cap.
        return retryAfter is { } asked && asked > delay ? (asked < policy.MaxRetryDelay ? asked : policy.MaxRetryDelay) : delay;
    }
}
