using System.Globalization;

namespace Gateway.Tests.Hostile;

/// <summary>
/// The seed of the random mutations: fixed, so a run can be repeated; overridable with <c>HOSTILE_SEED</c> to explore
/// other inputs or to replay the seed a failing run printed.
/// </summary>
internal static class HostileSeed
{
    public const string Variable = "HOSTILE_SEED";

    public const int Default = 20_250_314;

    public static int Current =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : Default;

    /// <summary>
    /// One independent generator per mutation, derived from the seed and the mutation's index (SplitMix64), so a
    /// mutation is the same whatever order the parallel senders take them in.
    /// </summary>
    public static Random For(int seed, int index)
    {
        var mixed = unchecked(((ulong)(uint)seed << 32) + (ulong)(uint)index + 0x9E3779B97F4A7C15UL);
        mixed = unchecked((mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9UL);
        mixed = unchecked((mixed ^ (mixed >> 27)) * 0x94D049BB133111EBUL);
        mixed ^= mixed >> 31;
        return new Random(unchecked((int)mixed));
    }
}
