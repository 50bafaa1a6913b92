using System.Text.Json;

namespace Gateway.Tests.Cli;

[Trait("Category", "Cli")]
public sealed class EnvelopeCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _pki;
    private readonly string _body;

    public EnvelopeCommandTests()
    {
        _pki = _temp.File("pki");
        Assert.Equal(0, CliRunner.Run("pki", "init-dev", "--out", _pki, "--nodes", "EE-SKA,FI-NRM,LV-NGO-SAFEHOUSE").ExitCode);
        _body = _temp.File("body.json");
        File.WriteAllText(_body, """{"question":"Synthetic consultation: which documents are needed?"}""");
    }

    [Fact]
    public void Seal_prints_the_new_message_id_and_open_writes_the_signed_payload_with_that_header()
    {
        var envelope = _temp.File("env.der");
        var payload = _temp.File("payload.json");

        var sealResult = CliRunner.Run("envelope", "seal", "--pki", _pki, "--from", "EE-SKA", "--to", "FI-NRM", "--type", "AnonymousConsultation", "--in", _body, "--out", envelope);
        var openResult = CliRunner.Run("envelope", "open", "--pki", _pki, "--as", "FI-NRM", "--in", envelope, "--out", payload);

        Assert.Equal(0, sealResult.ExitCode);
        var messageId = Guid.Parse(sealResult.Output.Trim());
        Assert.Equal(0, openResult.ExitCode);
        Assert.Contains($"messageId:      {messageId}", openResult.Output);
        using var document = JsonDocument.Parse(File.ReadAllBytes(payload));
        var header = document.RootElement.GetProperty("header");
        Assert.Equal(messageId, header.GetProperty("messageId").GetGuid());
        Assert.Equal("EE-SKA", header.GetProperty("from").GetString());
        Assert.Equal("FI-NRM", header.GetProperty("to").GetString());
        Assert.Equal("1.0", header.GetProperty("schemaVersion").GetString());
        Assert.Equal("Synthetic consultation: which documents are needed?", document.RootElement.GetProperty("body").GetProperty("question").GetString());
    }

    [Fact]
    public void Open_by_a_node_the_envelope_was_not_sealed_for_exits_1_naming_NOT_FOR_THIS_NODE()
    {
        var envelope = _temp.File("env.der");
        CliRunner.Run("envelope", "seal", "--pki", _pki, "--from", "EE-SKA", "--to", "FI-NRM", "--type", "AnonymousConsultation", "--in", _body, "--out", envelope);

        var result = CliRunner.Run("envelope", "open", "--pki", _pki, "--as", "LV-NGO-SAFEHOUSE", "--in", envelope, "--out", _temp.File("payload.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("envelope open: REJECTED NOT_FOR_THIS_NODE:", result.Error);
        Assert.False(File.Exists(_temp.File("payload.json")));
    }

    [Fact]
    public void Open_of_an_empty_file_exits_1_naming_MALFORMED()
    {
        var empty = _temp.File("empty.der");
        File.WriteAllBytes(empty, []);

        var result = CliRunner.Run("envelope", "open", "--pki", _pki, "--as", "FI-NRM", "--in", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("envelope open: REJECTED MALFORMED:", result.Error);
    }

    [Fact]
    public void Seal_with_an_unknown_message_type_exits_2_listing_the_known_ones()
    {
        var result = CliRunner.Run("envelope", "seal", "--pki", _pki, "--from", "EE-SKA", "--to", "FI-NRM", "--type", "Gossip", "--in", _body, "--out", _temp.File("env.der"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown message type 'Gossip'", result.Error);
        Assert.Contains("ReferralRequest", result.Error);
    }

    [Fact]
    public void Seal_to_a_node_missing_from_the_senders_peers_json_exits_2_naming_it()
    {
        var result = CliRunner.Run("envelope", "seal", "--pki", _pki, "--from", "EE-SKA", "--to", "SE-NMT", "--type", "AnonymousConsultation", "--in", _body, "--out", _temp.File("env.der"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("SE-NMT is not in EE-SKA's peers.json", result.Error);
    }

    [Fact]
    public void Seal_with_a_body_that_is_not_a_JSON_object_exits_2()
    {
        File.WriteAllText(_body, "[1, 2]");

        var result = CliRunner.Run("envelope", "seal", "--pki", _pki, "--from", "EE-SKA", "--to", "FI-NRM", "--type", "AnonymousConsultation", "--in", _body, "--out", _temp.File("env.der"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("must hold a JSON object", result.Error);
    }

    [Fact]
    public void Open_with_a_pki_folder_missing_the_node_exits_2_saying_what_is_missing()
    {
        var result = CliRunner.Run("envelope", "open", "--pki", _pki, "--as", "SE-NMT", "--in", _body);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("node SE-NMT has no enc.crt", result.Error);
    }

    public void Dispose() => _temp.Dispose();
}
