using System.CommandLine;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.Peers;
using Gateway.Service.Hosting;
using Gateway.Service.Node;

namespace Gateway.Service.Cli;

/// <summary>
/// <c>peers check</c> (DESIGN §11): loads this node's own files and peers.json as <c>run</c> would, judges every
/// certificate each peer registered, and calls each peer's health endpoint over mutual TLS. One line per finding,
/// OK, WARN or FAIL, naming the peer and the role; never key material. The database and the broker are not opened.
/// </summary>
internal static class PeersCommands
{
    public static Command Create() => new("peers", "The partners in this node's peers.json.") { Check() };

    private static Command Check()
    {
        var pki = new Option<DirectoryInfo?>("--pki") { Description = "A folder written by 'pki init-dev' (else the Gateway configuration is used)." };
        var node = new Option<string?>("--node") { Description = "Which node of that PKI to check from." };
        var dataDirectory = new Option<DirectoryInfo>("--data-dir")
        {
            Description = "The node's data folder, as given to 'run' (nothing in it is read).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(Environment.CurrentDirectory, ".data", "run")),
        };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each peer's health endpoint.", DefaultValueFactory = _ => 10 };
        var warnDays = new Option<int>("--warn-days") { Description = "Warn about certificates that expire within this many days.", DefaultValueFactory = _ => 30 };
        var command = new Command(
            "check",
            "Validate this node's files and peers.json, judge every peer certificate and reach each peer's health endpoint over mutual TLS: exit 0 without failures (warnings allowed), 1 with any.")
        {
            pki, node, dataDirectory, timeout, warnDays,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration;
            var pkiDirectory = parse.GetValue(pki);
            var nodeId = parse.GetValue(node);
            if (pkiDirectory is not null && string.IsNullOrEmpty(nodeId))
            {
                console.Error.WriteLine("peers check: --pki needs --node to say which node to check from");
                return GatewayCommandLine.UsageError;
            }

            if (pkiDirectory is { Exists: false })
            {
                console.Error.WriteLine($"peers check: no folder {pkiDirectory.FullName}");
                return GatewayCommandLine.UsageError;
            }

            var (seconds, days) = (parse.GetValue(timeout), parse.GetValue(warnDays));
            if (seconds <= 0 || days < 0)
            {
                console.Error.WriteLine("peers check: --timeout must be a positive number of seconds and --warn-days zero or more");
                return GatewayCommandLine.UsageError;
            }

            var options = RunCommand.Resolve(pkiDirectory, nodeId, parse.GetRequiredValue(dataDirectory).FullName);
            if (options is null)
            {
                console.Error.WriteLine("peers check: give --pki and --node, or a Gateway configuration (appsettings.json or Gateway__* variables)");
                return GatewayCommandLine.UsageError;
            }

            var findings = new Findings(console.Output);
            var check = new CheckRun(options.Node, TimeSpan.FromSeconds(seconds), TimeSpan.FromDays(days), TimeProvider.System, findings);
            await check.RunAsync(cancellationToken);
            console.Output.WriteLine($"peers check: {findings.Ok} ok, {findings.Warnings} warnings, {findings.Failures} failures");
            return findings.Failures > 0 ? GatewayCommandLine.Rejected : 0;
        });
        return command;
    }

    /// <summary>Prints each finding as one line and counts them for the summary.</summary>
    private sealed class Findings(TextWriter output)
    {
        public int Ok { get; private set; }

        public int Warnings { get; private set; }

        public int Failures { get; private set; }

        public void Pass(string subject, string text)
        {
            Ok++;
            output.WriteLine($"OK   {subject}: {text}");
        }

        public void Warn(string subject, string text)
        {
            Warnings++;
            output.WriteLine($"WARN {subject}: {text}");
        }

        public void Fail(string subject, string text)
        {
            Failures++;
            output.WriteLine($"FAIL {subject}: {text}");
        }
    }

    /// <summary>One run of the checks, in the order an operator fixes things: own files, the registry, each peer's certificates, reachability.</summary>
    private sealed class CheckRun(NodeOptions options, TimeSpan timeout, TimeSpan warnWithin, TimeProvider time, Findings findings)
    {
        private readonly CertificateValidator _validator = new(time);
        private readonly string _self = $"{options.NodeId} (this node)";

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var directory = LoadRegistry();
            using var tls = CheckOwnPair("tls", nameof(options.TlsCertificateFile), options.TlsCertificateFile, nameof(options.TlsKeyFile), options.TlsKeyFile);
            using var signing = CheckOwnPair("signing", nameof(options.SigningCertificateFile), options.SigningCertificateFile, nameof(options.SigningKeyFile), options.SigningKeyFile);
            using var encryption = CheckOwnPair("encryption", nameof(options.EncryptionCertificateFile), options.EncryptionCertificateFile, nameof(options.EncryptionKeyFile), options.EncryptionKeyFile);
            using var internalTls = CheckOwnPair("internal tls", nameof(options.InternalTlsCertificateFile), options.InternalTlsCertificateFile, nameof(options.InternalTlsKeyFile), options.InternalTlsKeyFile);
            using var internalCa = CheckOwnCertificate("internal client CA", nameof(options.InternalClientCaFile), options.InternalClientCaFile);
            if (directory is null)
            {
                return;
            }

            foreach (var peer in directory.Peers)
            {
                CheckRole(peer, CertificateRole.Tls, peer.Tls);
                CheckRole(peer, CertificateRole.Signing, peer.Signing);
                CheckRole(peer, CertificateRole.Encryption, peer.Encryption);
            }

            using var client = tls is null ? null : LoadClientCredential();
            if (client is null)
            {
                foreach (var peer in directory.Peers)
                {
                    findings.Fail($"{peer.Id} reachability", "not tried: this node's TLS certificate and key did not load (see above)");
                }

                return;
            }

            // Every peer at once, so one unreachable peer costs one timeout, not one each; reported in registry order.
            var calls = directory.Peers.Select(peer => ReachAsync(directory, peer, client, cancellationToken)).ToList();
            foreach (var (peer, call) in directory.Peers.Zip(calls))
            {
                var (passed, text) = await call;
                if (passed)
                {
                    findings.Pass($"{peer.Id} reachability", text);
                }
                else
                {
                    findings.Fail($"{peer.Id} reachability", text);
                }
            }
        }

        private PeerDirectory? LoadRegistry()
        {
            var subject = $"{_self} peers.json";
            if (!FileSettingPresent(subject, nameof(options.PeersFile), options.PeersFile))
            {
                return null;
            }

            try
            {
                var directory = PeerDirectory.Load(options.PeersFile);
                if (directory.Self.Id != options.NodeId)
                {
                    findings.Fail(subject, $"self.id: is {directory.Self.Id}, but this node is configured as {options.NodeId}");
                }

                findings.Pass(subject, $"{options.PeersFile} loads: {directory.Peers.Count} peers, every pin matches its certificate");
                return directory;
            }
            catch (PeerRegistryException exception)
            {
                findings.Fail(subject, $"{options.PeersFile}: {exception.Message}");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                findings.Fail(subject, $"cannot read {options.PeersFile} ({exception.Message})");
            }

            return null;
        }

        /// <summary>A certificate and its private key, read as the node reads them: do they belong together, and how long are they valid.</summary>
        private X509Certificate2? CheckOwnPair(string role, string certificateSetting, string certificateFile, string keySetting, string keyFile)
        {
            var subject = $"{_self} {role}";
            if (!FileSettingPresent(subject, certificateSetting, certificateFile) | !FileSettingPresent(subject, keySetting, keyFile))
            {
                return null;
            }

            try
            {
                // The node's own loader: PEM, encrypted PKCS#8 or PKCS#12, the key checked against the certificate.
                var keys = KeyMaterial.For(options);
                X509Certificate2 certificate;
                if (role == "encryption")
                {
                    using var decryption = keys.Decryption(certificateSetting, certificateFile, keySetting, keyFile);
                    certificate = X509CertificateLoader.LoadCertificate(decryption.Certificate.RawData);
                }
                else
                {
                    using var withKey = keys.TlsCertificate(certificateSetting, certificateFile, keySetting, keyFile);
                    certificate = X509CertificateLoader.LoadCertificate(withKey.RawData);
                }

                ReportOwnValidity(subject, certificate, "loads with its key");
                return certificate;
            }
            catch (InvalidOperationException exception)
            {
                findings.Fail(subject, exception.Message.Replace("The gateway configuration is not valid: ", string.Empty, StringComparison.Ordinal));
                return null;
            }
            catch (Exception exception) when (exception is CryptographicException or ArgumentException or IOException or UnauthorizedAccessException)
            {
                findings.Fail(subject, $"cannot load {certificateFile} with {keyFile} ({exception.Message})");
                return null;
            }
        }

        private X509Certificate2? CheckOwnCertificate(string role, string setting, string file)
        {
            var subject = $"{_self} {role}";
            if (!FileSettingPresent(subject, setting, file))
            {
                return null;
            }

            try
            {
                var certificate = X509CertificateLoader.LoadCertificateFromFile(file);
                ReportOwnValidity(subject, certificate, "loads");
                return certificate;
            }
            catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException)
            {
                findings.Fail(subject, $"cannot load {file} ({exception.Message})");
                return null;
            }
        }

        private bool FileSettingPresent(string subject, string setting, string file)
        {
            if (string.IsNullOrWhiteSpace(file))
            {
                findings.Fail(subject, $"{NodeOptions.Section}:{setting} is not set");
                return false;
            }

            if (!File.Exists(file))
            {
                findings.Fail(subject, $"{NodeOptions.Section}:{setting}: file {file} does not exist");
                return false;
            }

            return true;
        }

        private void ReportOwnValidity(string subject, X509Certificate2 certificate, string loaded)
        {
            var now = time.GetUtcNow();
            var (notBefore, notAfter) = (certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
            if (now < notBefore)
            {
                findings.Fail(subject, $"certificate {certificate.Subject} {loaded} but is not valid before {notBefore:u}");
            }
            else if (now > notAfter)
            {
                findings.Fail(subject, $"certificate {certificate.Subject} {loaded} but expired at {notAfter:u}");
            }
            else if (notAfter - now < warnWithin)
            {
                findings.Warn(subject, $"certificate {certificate.Subject} expires in {Remaining(notAfter - now)} ({notAfter:u})");
            }
            else
            {
                findings.Pass(subject, $"certificate {certificate.Subject} {loaded}; valid until {notAfter:u}");
            }
        }

        private void CheckRole(TrustedPeer peer, CertificateRole role, IReadOnlyList<X509Certificate2> certificates)
        {
            for (var i = 0; i < certificates.Count; i++)
            {
                CheckPeerCertificate(peer, role, certificates, i);
            }
        }

        /// <summary>Chain to the peer's anchor, validity now, key usage for the role: each problem its own line, one OK line when there is none.</summary>
        private void CheckPeerCertificate(TrustedPeer peer, CertificateRole role, IReadOnlyList<X509Certificate2> certificates, int index)
        {
            var certificate = certificates[index];
            var subject = $"{peer.Id} {RoleName(role)}[{index}]";
            var problems = 0;
            var chains = _validator.ChainsTo(certificate, peer.TrustAnchor);
            if (!chains)
            {
                findings.Fail(subject, $"certificate {certificate.Subject} does not chain to the peer's trust anchor {peer.TrustAnchor.Subject}");
                problems++;
            }

            var now = time.GetUtcNow();
            var notAfter = certificate.NotAfter.ToUniversalTime();
            if (!ValidAt(certificate, now))
            {
                var window = now < certificate.NotBefore.ToUniversalTime()
                    ? $"is not valid before {certificate.NotBefore.ToUniversalTime():u}"
                    : $"expired at {notAfter:u}";

                // During a rotation the other certificate of the role carries it: a listed old or future one is harmless.
                if (certificates.Any(other => !ReferenceEquals(other, certificate) && ValidAt(other, now)))
                {
                    findings.Warn(subject, $"certificate {certificate.Subject} {window}; the other {RoleName(role)} certificate covers the role now");
                }
                else
                {
                    findings.Fail(subject, $"certificate {certificate.Subject} {window}, and no other {RoleName(role)} certificate is valid now");
                }

                return;
            }

            // Validate judges time, key usage, then the chain as of now (an expired CA shows here), and revocation.
            var validation = _validator.Validate(certificate, peer.TrustAnchor, role);
            if (validation.FailureCode == EnvelopeErrorCodes.KeyUsageInvalid || (!validation.IsValid && chains))
            {
                findings.Fail(subject, $"{validation.FailureCode}: {validation.FailureReason}");
                problems++;
            }

            foreach (var warning in validation.Warnings)
            {
                findings.Warn(subject, warning);
                problems++;
            }

            if (notAfter - now < warnWithin)
            {
                findings.Warn(subject, $"certificate {certificate.Subject} expires in {Remaining(notAfter - now)} ({notAfter:u})");
                problems++;
            }

            if (problems == 0)
            {
                findings.Pass(subject, $"certificate {certificate.Subject} chains to {peer.TrustAnchor.Subject}, key usage fits the role, valid until {notAfter:u}");
            }
        }

        /// <summary>
        /// <c>GET {endpoint}/peer/v1/health</c> presenting this node's TLS certificate and accepting only the server
        /// certificate the peer registered, judged as the node's own peer clients judge it (GatewayHost).
        /// </summary>
        private async Task<(bool Passed, string Text)> ReachAsync(PeerDirectory directory, TrustedPeer peer, X509Certificate2 client, CancellationToken cancellationToken)
        {
            var url = new Uri(peer.Endpoint, "/peer/v1/health");
            string? serverProblem = null;
            using var handler = new SocketsHttpHandler
            {
                SslOptions =
                {
                    ClientCertificates = [client],
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    {
                        serverProblem = ServerCertificateProblem(directory, peer, certificate);
                        return serverProblem is null;
                    },
                },
            };
            using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var started = time.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var elapsed = time.GetElapsedTime(started);
                return response.IsSuccessStatusCode
                    ? (true, $"GET {url} answered {(int)response.StatusCode} in {elapsed.TotalMilliseconds:F0} ms over mutual TLS")
                    : (false, $"GET {url} answered HTTP status {(int)response.StatusCode} ({response.ReasonPhrase})");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (false, $"GET {url} timed out after {timeout.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException exception)
            {
                return (false, $"GET {url}: {Reason(exception, serverProblem)}");
            }
        }

        private string? ServerCertificateProblem(PeerDirectory directory, TrustedPeer peer, X509Certificate? presented)
        {
            if (presented is null)
            {
                return "the server presented no certificate";
            }

            using var certificate = new X509Certificate2(presented);
            try
            {
                var owner = directory.Authenticate(certificate, CertificateRole.Tls, _validator).Peer.Id;
                return owner == peer.Id
                    ? null
                    : $"server certificate not the one registered for {peer.Id}: it is the TLS certificate registered for {owner}";
            }
            catch (EnvelopeException exception) when (exception.Code is EnvelopeErrorCodes.SignerNotPinned or EnvelopeErrorCodes.UnknownSigner)
            {
                return $"server certificate not the one registered for {peer.Id} ({exception.Code}: {exception.Message})";
            }
            catch (EnvelopeException exception)
            {
                return $"server certificate {certificate.Subject} is registered for {peer.Id} but not acceptable ({exception.Code}: {exception.Message})";
            }
        }

        private static string Reason(HttpRequestException exception, string? serverProblem)
        {
            if (serverProblem is not null)
            {
                return $"TLS handshake failed — {serverProblem}";
            }

            var socket = Innermost<SocketException>(exception);
            return exception.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => "the host name does not resolve",
                HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.ConnectionRefused => "connection refused (nothing listens there)",
                HttpRequestError.ConnectionError when socket?.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                HttpRequestError.ConnectionError when socket?.SocketErrorCode == SocketError.TimedOut => "connection timed out",
                HttpRequestError.ConnectionError => $"cannot connect ({socket?.SocketErrorCode.ToString() ?? exception.Message})",
                HttpRequestError.SecureConnectionError => $"TLS handshake failed ({Innermost<Exception>(exception)?.Message}); does the peer accept this node's TLS certificate?",
                HttpRequestError.ResponseEnded => "the connection closed before an answer; does the peer accept this node's TLS certificate?",
                _ => $"request failed ({exception.Message})",
            };
        }

        private static T? Innermost<T>(Exception exception)
            where T : Exception
        {
            T? found = null;
            for (Exception? current = exception; current is not null; current = current.InnerException)
            {
                found = current as T ?? found;
            }

            return found;
        }

        /// <summary>This node's TLS certificate with its key in a form SslStream can present on every platform (as NodeIdentity loads it).</summary>
        private X509Certificate2? LoadClientCredential()
        {
            try
            {
                return KeyMaterial.For(options).TlsCertificate(
                    nameof(options.TlsCertificateFile), options.TlsCertificateFile, nameof(options.TlsKeyFile), options.TlsKeyFile);
            }
            catch (Exception exception) when (exception is CryptographicException or InvalidOperationException)
            {
                findings.Fail($"{_self} tls", $"cannot be used as a TLS client certificate ({exception.Message})");
                return null;
            }
        }

        private static bool ValidAt(X509Certificate2 certificate, DateTimeOffset now) =>
            certificate.NotBefore.ToUniversalTime() <= now && now <= certificate.NotAfter.ToUniversalTime();

        private static string Remaining(TimeSpan left) =>
            left >= TimeSpan.FromDays(1) ? $"{(int)left.TotalDays} days" : $"{Math.Max(1, (int)left.TotalHours)} hours";

        private static string RoleName(CertificateRole role) => role.ToString().ToLowerInvariant();
    }
}
