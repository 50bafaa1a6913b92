using Gateway.Bench;
using Gateway.Bench.Crypto;
using Gateway.Bench.EndToEnd;
using Gateway.Bench.Profiling;

const string Usage = """
    usage:
      gateway-bench crypto [--seconds 2] [--out DIR]
          seal/open/receipt throughput for EC and RSA recipients (4 KiB, 64 KiB, 1 MiB), beside `openssl speed`,
          and the peak RSS of sealing+opening 1 MiB against 4 KiB (each in a child process)
      gateway-bench e2e [--seconds 60] [--rates 50,100,200] [--clients 64] [--warmup 60] [--drain-seconds 300] [--out DIR]
                        [--set Gateway__Key=value ...] [--keep]
          two gateway processes on RabbitMQ and PostgreSQL: a closed-loop warm-up (not counted), closed-loop
          throughput, then open-loop latency per offered rate; --set passes settings to both nodes as environment
      gateway-bench perf-summary --script FILE [--title TEXT] [--out FILE.md]
          where a gateway process's CPU went, from `perf script -F comm,tid,ip,sym,dso` of a `perf record -g`
          (run the nodes with --set DOTNET_PerfMapEnabled=1 --set DOTNET_EnableWriteXorExecute=0)
    results go to docs/benchmarks/ (or --out) as JSON and markdown.
    """;

try
{
    var arguments = BenchArguments.Parse(args);
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        // First Ctrl-C: stop measuring and clean up (processes, databases, queues); a second one kills.
        e.Cancel = !cancel.IsCancellationRequested;
        cancel.Cancel();
    };

    return arguments.Command switch
    {
        "crypto" => await CryptoBenchmark.RunAsync(arguments, cancel.Token),
        "e2e" => await EndToEndBenchmark.RunAsync(arguments, cancel.Token),
        MemoryProbe.Command => MemoryProbe.RunChild(arguments),
        PerfSummary.Command => PerfSummary.Run(arguments),
        var other => throw new BenchUsageException($"unknown command '{other}'"),
    };
}
catch (BenchUsageException exception)
{
    Console.Error.WriteLine($"gateway-bench: {exception.Message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("gateway-bench: cancelled; what was started has been stopped");
    return 130;
}
catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or System.Data.Common.DbException
    or HttpRequestException or IOException or RabbitMQ.Client.Exceptions.BrokerUnreachableException)
{
    // Everything the run started (gateway processes, queues, databases, services) was disposed on the way out.
    Console.Error.WriteLine($"gateway-bench: failed: {exception.GetType().Name}: {exception.Message}");
    return 1;
}
