using Gateway.Testing.Repository;
using Gateway.Testing.Scripts;

namespace Gateway.Tests.Deployment;

/// <summary>
/// deploy/check-deployment.sh checks the compose file, the Kubernetes manifests, the systemd unit and the Dockerfile with
/// tools from Debian's packages (docker-compose, python3-yaml, systemd-analyze): the real files pass, and a broken copy
/// fails, so the check can fail.
/// </summary>
[Trait("Category", "Deployment")]
public sealed class DeploymentFilesTests
{
    /// <summary>The first run may install the packages.</summary>
    private static readonly TimeSpan ScriptDeadline = TimeSpan.FromMinutes(5);

    private static readonly string Root = RepositoryRoot.Find();

    private static readonly string Script = Path.Combine(Root, "deploy", "check-deployment.sh");

    [Fact]
    public async Task The_deployment_files_pass_every_check_and_each_check_is_listed()
    {
        var result = await RunScriptAsync();

        Assert.True(result.ExitCode == 0, $"check-deployment.sh exited {result.ExitCode}:\n{result.Output}\n{result.Error}");
        Assert.Contains("ok   compose: docker-compose config -q deploy/compose/docker-compose.yml", result.Output);
        Assert.Contains("ok   compose shape: 3 RabbitMQ nodes", result.Output);
        Assert.Contains("ok   k8s: ", result.Output);
        Assert.Contains("liveness and readiness probes and resource requests and limits", result.Output);
        Assert.Contains("prometheus scrape annotations", result.Output);
        Assert.Contains("ok   systemd: systemd-analyze verify deploy/systemd/referral-gateway.service", result.Output);
        Assert.Contains("ok   systemd security: exposure level", result.Output);
        Assert.Contains("ok   dockerfile: ", result.Output);
        Assert.DoesNotContain("FAIL", result.Output);
    }

    [Fact]
    public async Task A_compose_file_with_an_invalid_key_fails_the_compose_check()
    {
        using var temp = new Cli.TempDirectory();
        var original = await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "compose", "docker-compose.yml"));
        var broken = original.Replace("    hostname: rabbitmq-2\n", "    hostname: rabbitmq-2\n    hostnme: rabbitmq-2\n", StringComparison.Ordinal);
        Assert.NotEqual(original, broken);
        await File.WriteAllTextAsync(temp.File("docker-compose.yml"), broken);

        var result = await RunScriptAsync("--compose", temp.File("docker-compose.yml"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL compose: docker-compose config -q {temp.File("docker-compose.yml")} exited 1", result.Output);
        Assert.Contains("hostnme", result.Output);
        Assert.Contains("ok   k8s: ", result.Output);
    }

    [Fact]
    public async Task A_manifest_whose_container_has_no_probes_fails_the_k8s_check_naming_the_container()
    {
        using var temp = new Cli.TempDirectory();
        foreach (var manifest in Directory.GetFiles(Path.Combine(Root, "deploy", "k8s"), "*.yaml"))
        {
            File.Copy(manifest, temp.File(Path.GetFileName(manifest)));
        }

        await File.WriteAllTextAsync(temp.File("no-probes.yaml"), """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: case-export
              namespace: referral-gateway
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: case-export
              template:
                metadata:
                  labels:
                    app: case-export
                spec:
                  containers:
                    - name: exporter
                      image: case-export:dev
                      resources:
                        requests: {cpu: 50m, memory: 64Mi}
                        limits: {cpu: 200m, memory: 128Mi}
            """);

        var result = await RunScriptAsync("--k8s", temp.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL k8s: 2 problem(s) in {temp.Path}", result.Output);
        Assert.Contains("no-probes.yaml Deployment/case-export container exporter: no livenessProbe", result.Output);
        Assert.Contains("no-probes.yaml Deployment/case-export container exporter: no readinessProbe", result.Output);
        Assert.Contains("ok   compose: ", result.Output);
    }

    [Fact]
    public async Task A_unit_with_a_misspelt_hardening_option_fails_the_systemd_check()
    {
        using var temp = new Cli.TempDirectory();
        var original = await File.ReadAllTextAsync(Path.Combine(Root, "deploy", "systemd", "referral-gateway.service"));
        var broken = original.Replace("NoNewPrivileges=yes", "NoNewPrivilege=yes", StringComparison.Ordinal);
        Assert.NotEqual(original, broken);
        await File.WriteAllTextAsync(temp.File("referral-gateway.service"), broken);

        var result = await RunScriptAsync("--unit", temp.File("referral-gateway.service"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("FAIL systemd: ", result.Output);
        Assert.Contains("Unknown key 'NoNewPrivilege'", result.Output);
    }

    private static Task<ScriptResult> RunScriptAsync(params string[] arguments) => BashScript.RunAsync(Script, ScriptDeadline, arguments);
}
