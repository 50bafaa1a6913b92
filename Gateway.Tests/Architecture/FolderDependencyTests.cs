using System.Reflection;
using NetArchTest.Rules;

namespace Gateway.Tests.Architecture;

/// <summary>
/// The layout of DESIGN §18, read from the compiled assemblies: each folder of Gateway.Service is a namespace, and
/// dependencies between them point one way. A failure names the types that break a rule.
/// </summary>
[Trait("Category", "Architecture")]
public sealed class FolderDependencyTests
{
    private const string Service = "Gateway.Service";

    private static readonly Assembly ServiceAssembly = typeof(Gateway.Service.Hosting.GatewayHost).Assembly;

    /// <summary>Every top-level folder of Gateway.Service, found from the types it holds.</summary>
    public static TheoryData<string> Folders() => [.. ServiceFolders()];

    /// <summary>The folders features are made of; Hosting composes them and Cli runs them.</summary>
    public static TheoryData<string> Features() => [.. ServiceFolders().Except(["Hosting", "Cli"])];

    public static TheoryData<string, string> FolderPairs()
    {
        var folders = ServiceFolders();
        var pairs = new TheoryData<string, string>();
        foreach (var (first, i) in folders.Select((folder, i) => (folder, i)))
        {
            foreach (var second in folders.Skip(i + 1))
            {
                pairs.Add(first, second);
            }
        }

        return pairs;
    }

    [Theory]
    [MemberData(nameof(FolderPairs))]
    public void No_two_folders_depend_on_each_other_both_ways(string first, string second)
    {
        var forward = Dependents(first, second);
        var backward = Dependents(second, first);

        Assert.False(forward.Count > 0 && backward.Count > 0,
            $"{first} and {second} depend on each other: {first} → {second} in {string.Join(", ", forward)}; {second} → {first} in {string.Join(", ", backward)}");
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void Persistence_depends_on_no_feature(string feature)
    {
        if (feature is "Persistence" or "Node")
        {
            return; // Persistence may use the base folder (its options validator names settings through it).
        }

        Assert.Empty(Dependents("Persistence", feature));
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void The_base_folder_depends_on_no_feature(string feature)
    {
        if (feature == "Node")
        {
            return;
        }

        Assert.Empty(Dependents("Node", feature));
    }

    [Theory]
    [MemberData(nameof(Features))]
    public void No_feature_depends_on_Hosting(string feature) => Assert.Empty(Dependents(feature, "Hosting"));

    [Fact]
    public void Contracts_depend_on_nothing_outside_System()
    {
        var outside = typeof(Gateway.Contracts.GatewayJson).Assembly.GetReferencedAssemblies()
            .Select(reference => reference.Name!)
            .Where(name => name != "System" && !name.StartsWith("System.", StringComparison.Ordinal) && name != "netstandard")
            .ToList();

        Assert.True(outside.Count == 0, $"Gateway.Contracts references {string.Join(", ", outside)}");
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("MassTransit")]
    [InlineData("Npgsql")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Gateway.Service")]
    public void Crypto_depends_on_neither_the_web_host_nor_the_bus_nor_a_database(string forbidden)
    {
        var crypto = typeof(Gateway.Crypto.EnvelopeException).Assembly;
        var references = crypto.GetReferencedAssemblies().Select(reference => reference.Name!).Where(name => name.StartsWith(forbidden, StringComparison.Ordinal)).ToList();
        var types = Types.InAssembly(crypto).ShouldNot().HaveDependencyOn(forbidden).GetResult();

        Assert.True(references.Count == 0, $"Gateway.Crypto references {string.Join(", ", references)}");
        Assert.True(types.IsSuccessful, $"Gateway.Crypto depends on {forbidden}: {string.Join(", ", types.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void The_folder_list_is_what_the_layout_describes()
    {
        Assert.Equal(
            ["Access", "Audit", "Cases", "Casework", "Cli", "Consent", "Delivery", "Disclosure", "Erasure", "Hosting", "Inbox", "Keys", "Node", "Operations", "Outbox", "Oversight", "Peering", "Persistence", "Referrals", "Retention", "Telemetry", "Upgrade"],
            ServiceFolders());
    }

    /// <summary>The types of folder <paramref name="from"/> that use a type of folder <paramref name="to"/>.</summary>
    private static List<string> Dependents(string from, string to) =>
        [.. Types.InAssembly(ServiceAssembly).That().ResideInNamespace($"{Service}.{from}")
            .And().HaveDependencyOn($"{Service}.{to}")
            .GetTypes().Select(type => type.FullName!)];

    private static List<string> ServiceFolders() =>
        [.. ServiceAssembly.GetTypes()
            .Select(type => type.Namespace)
            .Where(name => name is not null && name.StartsWith(Service + ".", StringComparison.Ordinal))
            .Select(name => name!.Split('.')[2])
            .Distinct()
            .Order(StringComparer.Ordinal)];
}
