namespace Gateway.Service.Cli.Demo;

/// <summary>The three nodes of the demo: the Estonian contact point refers to the Finnish one and to a Latvian shelter.</summary>
internal static class DemoNodes
{
    public const string Sender = "EE-SKA";
    public const string ContactPoint = "FI-NRM";
    public const string Shelter = "LV-NGO-SAFEHOUSE";

    public static IReadOnlyList<string> All { get; } = [Sender, ContactPoint, Shelter];

    /// <summary>Who receives the referral, in the order the demo sends it.</summary>
    public static IReadOnlyList<string> Recipients { get; } = [ContactPoint, Shelter];
}
