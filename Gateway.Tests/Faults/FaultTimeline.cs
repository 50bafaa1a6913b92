namespace Gateway.Tests.Faults;

/// <summary>When a scenario's fault began and when it was healed (wall clock, comparable with the nodes' delivery times).</summary>
internal sealed class FaultTimeline
{
    public DateTimeOffset? InjectedAt { get; private set; }

    public DateTimeOffset? HealedAt { get; private set; }

    /// <summary>Referrals accepted when the fault began.</summary>
    public int AcceptedAtInjection { get; private set; }

    /// <summary>A fault without a heal (a node that stays dead) counts its recovery from the injection.</summary>
    public DateTimeOffset RecoveryStart => HealedAt ?? InjectedAt ?? throw new InvalidOperationException("the fault was never injected");

    public TimeSpan? Outage => InjectedAt is { } injected && HealedAt is { } healed ? healed - injected : null;

    public void Injected(int accepted)
    {
        InjectedAt = DateTimeOffset.UtcNow;
        AcceptedAtInjection = accepted;
    }

    public void Healed() => HealedAt = DateTimeOffset.UtcNow;
}
