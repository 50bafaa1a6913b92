using Gateway.Testing.Services;

namespace Gateway.Bench.EndToEnd;

/// <summary>
/// RabbitMQ and PostgreSQL for the run: the caller's (<c>RABBITMQ_URI</c>, <c>POSTGRES_CONNECTION</c>) when set, else
/// the project's own instances from <c>deploy/local/</c> (DESIGN §12), started when they do not run and stopped
/// afterwards only if this run started them, as test.sh does.
/// </summary>
internal sealed class BenchServices : IAsyncDisposable
{
    // No limit, as test.sh sets none: a first start installs the Debian packages, which takes as long as it takes.
    private static readonly TimeSpan NoLimit = Timeout.InfiniteTimeSpan;

    private readonly List<string> _started = [];

    private BenchServices()
    {
    }

    public required Uri RabbitMq { get; init; }

    public required string Postgres { get; init; }

    /// <summary>Which of them this run started (and will stop).</summary>
    public IReadOnlyList<string> Started => _started;

    public static async Task<BenchServices> EnsureAsync(CancellationToken cancellationToken)
    {
        var started = new List<string>();
        var rabbit = await VariableOrScriptAsync("rabbitmq", "RABBITMQ_URI", started, cancellationToken);
        var postgres = await VariableOrScriptAsync("postgres", "POSTGRES_CONNECTION", started, cancellationToken);
        var services = new BenchServices { RabbitMq = new Uri(rabbit), Postgres = postgres };
        services._started.AddRange(started);
        return services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _started)
        {
            Console.WriteLine($"e2e: stopping {service} (this run started it)");
            var (exitCode, output) = await LocalServices.RunAsync($"{service}.sh", NoLimit, ["stop"], CancellationToken.None);
            if (exitCode != 0)
            {
                Console.Error.WriteLine($"e2e: could not stop {service}: {output}");
            }
        }
    }

    private static async Task<string> VariableOrScriptAsync(string service, string variable, List<string> started, CancellationToken cancellationToken)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
        {
            Console.WriteLine($"e2e: {variable} is set: using the caller's {service}");
            return value;
        }

        var script = $"{service}.sh";
        if ((await LocalServices.RunAsync(script, NoLimit, ["status"], cancellationToken)).ExitCode != 0)
        {
            Console.WriteLine($"e2e: starting {service} with deploy/local/{script} (stopped again at the end)");
            await LocalServices.RequireAsync(script, NoLimit, ["start"], cancellationToken);
            started.Add(service);
        }
        else
        {
            Console.WriteLine($"e2e: {service} already runs: using it and leaving it running");
        }

        var environment = await LocalServices.EnvironmentOfAsync(script, cancellationToken);
        return environment.TryGetValue(variable, out var found)
            ? found
            : throw new InvalidOperationException($"deploy/local/{script} env printed no {variable}");
    }
}
