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
        Assert.Contains("ok   compose doors: 2 replicas: peer listener on 0.0.0.0, internal listener on 0.0.0.0 in the container; internal ports published only on 127.0.0.1", result.Output);
        Assert.Contains("ok   k8s: ", result.Output);
        Assert.Contains("liveness and readiness probes and resource requests and limits", result.Output);
        Assert.Contains("prometheus scrape annotations", result.Output);
        Assert.Contains("ok   k8s doors: ", result.Output);
        Assert.Contains("NetworkPolicy referral-gateway-doors admits only the peer port 8443 from any address and the internal port 9443 from selected namespaces; only the peer port leaves the cluster", result.Output);
        Assert.Contains("ok   systemd: systemd-analyze verify deploy/systemd/referral-gateway.service", result.Output);
        Assert.Contains("ok   systemd security: exposure level", result.Output);
        Assert.Contains("ok   systemd doors: peer listener on 0.0.0.0, internal listener on 127.0.0.1", result.Output);
        Assert.Contains("ok   dockerfile: ", result.Output);
        Assert.Contains("peer listener on 0.0.0.0, internal listener on 127.0.0.1", result.Output);
        Assert.DoesNotContain("FAIL", result.Output);
    }

    [Theory]
    [InlineData("--compose", "deploy/compose/docker-compose.yml", "${GATEWAY_INTERNAL_HOST_IP:-127.0.0.1}:9444:9444", "9444:9444",
        "FAIL compose doors: 1 problem(s)", "gateway-b: the internal port 9444 is published on every host interface (*:9444:9444)")]
    [InlineData("--env", "deploy/systemd/referral-gateway.env", "Gateway__InternalBindAddress=127.0.0.1", "Gateway__InternalBindAddress=0.0.0.0",
        "FAIL systemd doors: 1 problem(s)", "the environment file: Gateway__InternalBindAddress=0.0.0.0 opens the internal listener on every interface of the VM")]
    [InlineData("--dockerfile", "deploy/docker/Dockerfile", "ENV Gateway__PeerBindAddress=0.0.0.0 \\\n    Gateway__InternalBindAddress=127.0.0.1 \\\n", "ENV Gateway__BindAddress=0.0.0.0 \\\n",
        "FAIL dockerfile: 3 problem(s)", "the runtime stage's ENV: Gateway__BindAddress is set, the former single address")]
    public async Task A_deployment_file_that_opens_the_internal_listener_to_everyone_or_leaves_its_address_to_the_former_BindAddress_fails_its_doors_check(
        string option, string file, string original, string opened, string failure, string problem)
    {
        using var temp = new Cli.TempDirectory();
        var broken = await ChangedCopyAsync(temp, file, original, opened);

        var result = await RunScriptAsync(option, broken);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(failure, result.Output);
        Assert.Contains(problem, result.Output);
    }

    [Fact]
    public async Task Manifests_without_the_NetworkPolicy_fail_the_k8s_doors_check()
    {
        using var temp = new Cli.TempDirectory();
        CopyManifests(temp, except: "networkpolicy.yaml");

        var result = await RunScriptAsync("--k8s", temp.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL k8s doors: 1 problem(s) with the listeners' doors in {temp.Path}", result.Output);
        Assert.Contains("no NetworkPolicy restricts ingress to the referral-gateway pods", result.Output);
        Assert.Contains("ok   k8s: ", result.Output);
    }

    [Theory]
    [InlineData("networkpolicy.yaml", "        - port: peer\n", "        - port: peer\n        - port: internal\n",
        "NetworkPolicy/referral-gateway-doors ingress[0] admits 8443, 9443 from any address: only the peer port 8443 may be open to partners")]
    [InlineData("services.yaml", "  type: ClusterIP\n", "  type: LoadBalancer\n",
        "Service/referral-gateway-internal (LoadBalancer) leads port 9443 to internal, not the peer port 8443: only the peer listener may leave the cluster")]
    public async Task A_manifest_that_opens_the_internal_port_beyond_the_organisation_fails_the_k8s_doors_check(string manifest, string original, string opened, string problem)
    {
        using var temp = new Cli.TempDirectory();
        CopyManifests(temp, except: manifest);
        await ChangedCopyAsync(temp, $"deploy/k8s/{manifest}", original, opened);

        var result = await RunScriptAsync("--k8s", temp.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"FAIL k8s doors: 1 problem(s) with the listeners' doors in {temp.Path}", result.Output);
        Assert.Contains(problem, result.Output);
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

    /// <summary>A copy of a deployment file in <paramref name="temp"/> with one piece of it replaced; its path.</summary>
    private static async Task<string> ChangedCopyAsync(Cli.TempDirectory temp, string file, string original, string replacement)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(Root, file));
        Assert.Contains(original, text);
        var copy = temp.File(Path.GetFileName(file));
        await File.WriteAllTextAsync(copy, text.Replace(original, replacement, StringComparison.Ordinal));
        return copy;
    }

    private static void CopyManifests(Cli.TempDirectory temp, string except)
    {
        foreach (var manifest in Directory.GetFiles(Path.Combine(Root, "deploy", "k8s"), "*.yaml").Where(manifest => Path.GetFileName(manifest) != except))
        {
            File.Copy(manifest, temp.File(Path.GetFileName(manifest)));
        }
    }
}
