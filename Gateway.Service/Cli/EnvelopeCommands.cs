using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Contracts;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Service.Disclosure;
using Gateway.Crypto;
using Gateway.Crypto.Certificates;
using Gateway.Crypto.DevPki;
using Gateway.Crypto.Envelopes;
using Gateway.Crypto.Peers;

namespace Gateway.Service.Cli;

/// <summary><c>envelope seal</c> and <c>envelope open</c>: files in and out, for partners and debugging.</summary>
internal static class EnvelopeCommands
{
    public static Command Create() => new("envelope", "Seal and open envelopes as files.") { Seal(), Open() };

    private static Command Seal()
    {
        var pki = PkiOption();
        var from = new Option<string>("--from") { Description = "Sending node id (its sign.key signs).", Required = true };
        var to = new Option<string>("--to") { Description = "Receiving node id (must be in the sender's peers.json).", Required = true };
        var type = new Option<string>("--type") { Description = $"Message type: {string.Join(", ", MessageTypes.All)}.", Required = true };
        var input = new Option<FileInfo>("--in") { Description = "The message body: a JSON object.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the envelope (DER).", Required = true };
        var conversation = new Option<string?>("--conversation") { Description = "Conversation id of the case (a new one when omitted)." };
        var inReplyTo = new Option<Guid?>("--in-reply-to") { Description = "Message id this one answers." };
        var purpose = new Option<string?>("--purpose") { Description = "Purpose of the disclosure." };
        var legalBasis = new Option<string?>("--legal-basis") { Description = "Consent, VitalInterests or LegalObligation." };
        var consentRef = new Option<string?>("--consent-ref") { Description = "Consent record id, when the basis is consent." };
        var profile = new Option<string?>("--disclosure-profile") { Description = "The disclosure profile agreed with the recipient (default: the built-in one for its kind and the purpose)." };

        var command = new Command("seal", "Sign a body as FROM and encrypt it to TO; prints the new message id.")
        {
            pki, from, to, type, input, output, conversation, inReplyTo, purpose, legalBasis, consentRef, profile,
        };
        command.SetAction(parse => Run(parse, "envelope seal", () =>
        {
            var directory = parse.GetRequiredValue(pki).FullName;
            var sender = parse.GetRequiredValue(from);
            var recipientId = parse.GetRequiredValue(to);
            var messageType = parse.GetRequiredValue(type);
            if (!MessageTypes.IsKnown(messageType))
            {
                throw new UsageException($"unknown message type '{messageType}'; use one of {string.Join(", ", MessageTypes.All)}");
            }

            var peers = DevPkiLayout.LoadPeers(directory, sender);
            var recipient = peers.Find(recipientId)
                ?? throw new UsageException($"{recipientId} is not in {sender}'s peers.json");
            var body = ReadBody(parse.GetRequiredValue(input));
            var now = DateTimeOffset.UtcNow;
            var header = new EnvelopeHeader
            {
                MessageId = Guid.CreateVersion7(now),
                MessageType = messageType,
                From = sender,
                To = recipientId,
                CreatedAt = now,
                ConversationId = parse.GetValue(conversation) ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                InReplyTo = parse.GetValue(inReplyTo),
                Purpose = parse.GetValue(purpose) ?? MessagePurposes.AllowedFor(messageType)[0],
                LegalBasis = parse.GetValue(legalBasis),
                ConsentRef = parse.GetValue(consentRef),
                DisclosureProfile = parse.GetValue(profile)
                    ?? new DisclosurePolicy(new DisclosureOptions()).Resolve(recipientId, recipient.Kind, parse.GetValue(purpose) ?? MessagePurposes.AllowedFor(messageType)[0])?.Name,
                SchemaVersion = SchemaVersions.Current,
            };

            using var signer = DevPkiLayout.LoadSigning(directory, sender);
            var envelope = new EnvelopeSealer(TimeProvider.System)
                .Seal(new EnvelopePayload { Header = header, Body = body }, signer, recipient.CurrentEncryptionCertificate(now));
            File.WriteAllBytes(parse.GetRequiredValue(output).FullName, envelope);
            parse.InvocationConfiguration.Output.WriteLine(header.MessageId);
            return 0;
        }));
        return command;
    }

    private static Command Open()
    {
        var pki = PkiOption();
        var node = new Option<string>("--as") { Description = "The receiving node: its enc.key decrypts, its peers.json judges the signer.", Required = true };
        var input = new Option<FileInfo>("--in") { Description = "The envelope (DER).", Required = true };
        var output = new Option<FileInfo?>("--out") { Description = "Where to write the signed payload JSON (stdout when omitted; the header then goes to stderr)." };

        var command = new Command("open", "Decrypt an envelope, verify its signer against the node's peers.json and trust anchors, print its header and write the payload.")
        {
            pki, node, input, output,
        };
        command.SetAction(parse => Run(parse, "envelope open", () =>
        {
            var directory = parse.GetRequiredValue(pki).FullName;
            var self = parse.GetRequiredValue(node);
            var envelope = File.ReadAllBytes(parse.GetRequiredValue(input).FullName);
            using var identity = DevPkiLayout.LoadDecryption(directory, self);
            var opener = new EnvelopeOpener(identity, DevPkiLayout.LoadPeers(directory, self), new CertificateValidator(TimeProvider.System));
            var opened = opener.Open(envelope);

            var console = parse.InvocationConfiguration;
            var outFile = parse.GetValue(output);
            var headerWriter = outFile is null ? console.Error : console.Output;
            var header = opened.Payload.Header;
            headerWriter.WriteLine($"messageId:      {header.MessageId}");
            headerWriter.WriteLine($"messageType:    {header.MessageType}");
            headerWriter.WriteLine($"from:           {header.From} (signed by {opened.SignerCertificate.Subject}, pin {SpkiPin.Of(opened.SignerCertificate)})");
            headerWriter.WriteLine($"to:             {header.To}");
            headerWriter.WriteLine($"createdAt:      {header.CreatedAt:O}");
            headerWriter.WriteLine($"signingTime:    {opened.SigningTime:O}");
            headerWriter.WriteLine($"conversationId: {header.ConversationId}");
            foreach (var warning in opened.Warnings)
            {
                console.Error.WriteLine($"warning: {warning}");
            }

            if (outFile is null)
            {
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(opened.PayloadJson);
            }
            else
            {
                File.WriteAllBytes(outFile.FullName, opened.PayloadJson);
            }

            return 0;
        }));
        return command;
    }

    private static Option<DirectoryInfo> PkiOption() =>
        new("--pki") { Description = "Folder written by 'pki init-dev'.", Required = true };

    private static JsonElement ReadBody(FileInfo file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file.FullName));
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw new UsageException($"{file.Name} must hold a JSON object");
        }
        catch (JsonException exception)
        {
            throw new UsageException($"{file.Name} is not valid JSON (line {exception.LineNumber + 1})");
        }
    }

    /// <summary>One line per failure, naming the reason: a code for a refused envelope, the problem for usage.</summary>
    private static int Run(ParseResult parse, string name, Func<int> action)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return action();
        }
        catch (EnvelopeException exception)
        {
            error.WriteLine($"{name}: REJECTED {exception.Code}: {exception.Message}");
            return GatewayCommandLine.Rejected;
        }
        catch (Exception exception) when (exception is UsageException or PeerRegistryException or IOException or UnauthorizedAccessException or CryptographicException)
        {
            error.WriteLine($"{name}: {exception.Message}");
            return GatewayCommandLine.UsageError;
        }
    }
}
