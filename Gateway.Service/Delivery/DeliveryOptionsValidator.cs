using Gateway.Service.Node;
using Microsoft.Extensions.Options;

namespace Gateway.Service.Delivery;

/// <summary>The delivery policy, and each peer's overrides, must be a policy that can run (positive times, a jitter and ratio between 0 and 1).</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var problems = new OptionsProblems(DeliveryOptions.Section);
        Check(problems, string.Empty, options.For(string.Empty));
        foreach (var peerId in options.Peers.Keys)
        {
            problems.Check(!string.IsNullOrWhiteSpace(peerId), "Peers", "has an entry without a peer id");
            Check(problems, $"Peers:{peerId}:", options.For(peerId));
        }

        return problems.Result();
    }

    private static void Check(OptionsProblems problems, string prefix, DeliveryPolicy policy)
    {
        problems.Positive(policy.FirstRetryDelay, prefix + nameof(policy.FirstRetryDelay));
        problems.Check(policy.MaxRetryDelay >= policy.FirstRetryDelay, prefix + nameof(policy.MaxRetryDelay), "must not be shorter than FirstRetryDelay");
        problems.Check(policy.Jitter is >= 0 and < 1, prefix + nameof(policy.Jitter), "must be at least 0 and below 1");
        problems.Positive(policy.TimeToLive, prefix + nameof(policy.TimeToLive));
        problems.Positive(policy.AttemptTimeout, prefix + nameof(policy.AttemptTimeout));
        problems.Check(policy.Concurrency is >= 1 and <= 1024, prefix + nameof(policy.Concurrency), "must be between 1 and 1024");
        var breaker = policy.CircuitBreaker;
        problems.Check(breaker.FailureRatio is > 0 and <= 1, $"{prefix}CircuitBreaker:{nameof(breaker.FailureRatio)}", "must be above 0 and at most 1");
        problems.Check(breaker.MinimumThroughput >= 2, $"{prefix}CircuitBreaker:{nameof(breaker.MinimumThroughput)}", "must be at least 2");
        problems.Check(breaker.SamplingDuration >= TimeSpan.FromMilliseconds(500), $"{prefix}CircuitBreaker:{nameof(breaker.SamplingDuration)}", "must be at least 0.5 s");
        problems.Check(breaker.BreakDuration >= TimeSpan.FromMilliseconds(500), $"{prefix}CircuitBreaker:{nameof(breaker.BreakDuration)}", "must be at least 0.5 s");
    }
}
