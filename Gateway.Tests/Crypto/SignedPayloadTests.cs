using System.Text;
using System.Text.Json.Nodes;
using Gateway.Crypto;
using static Gateway.Tests.Crypto.DevFederationFixture;

namespace Gateway.Tests.Crypto;

/// <summary>A correctly signed envelope from a registered peer still opens only if it carries the protocol's document.</summary>
[Collection(CryptoCollection.Name)]
[Trait("Category", "Crypto")]
public sealed class SignedPayloadTests(EcFederationFixture ec)
{
    [Fact]
    public void Envelope_with_an_unknown_message_type_is_rejected_with_HEADER_INVALID()
    {
        var envelope = ec.Seal(SyntheticPayloads.Consultation(Estonia, Finland, messageType: "CasualGossip"));

        AssertHeaderInvalid(envelope);
    }

    [Fact]
    public void Envelope_whose_signed_payload_is_not_JSON_is_rejected_with_HEADER_INVALID()
    {
        AssertHeaderInvalid(SealFromEstonia(Encoding.UTF8.GetBytes("synthetic plain text, not JSON")));
    }

    [Fact]
    public void Envelope_whose_signed_payload_is_JSON_null_is_rejected_with_HEADER_INVALID()
    {
        AssertHeaderInvalid(SealFromEstonia("null"u8.ToArray()));
    }

    [Fact]
    public void Envelope_without_a_header_is_rejected_with_HEADER_INVALID()
    {
        AssertHeaderInvalid(SealFromEstonia("""{"body":{"question":"synthetic"}}"""u8.ToArray()));
    }

    [Theory]
    [InlineData("messageId")]
    [InlineData("messageType")]
    [InlineData("from")]
    [InlineData("to")]
    [InlineData("createdAt")]
    [InlineData("conversationId")]
    [InlineData("schemaVersion")]
    public void Envelope_whose_header_lacks_a_required_field_is_rejected_with_HEADER_INVALID(string field)
    {
        var document = JsonNode.Parse(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)))!;
        document["header"]!.AsObject().Remove(field);

        AssertHeaderInvalid(SealFromEstonia(Encoding.UTF8.GetBytes(document.ToJsonString())));
    }

    [Fact]
    public void Envelope_whose_body_is_not_a_JSON_object_is_rejected_with_HEADER_INVALID()
    {
        var document = JsonNode.Parse(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)))!;
        document["body"] = "synthetic text instead of an object";

        AssertHeaderInvalid(SealFromEstonia(Encoding.UTF8.GetBytes(document.ToJsonString())));
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("0.9")]
    [InlineData("1")]
    public void Envelope_with_a_schema_version_this_node_cannot_read_is_rejected_with_HEADER_INVALID(string version)
    {
        var document = JsonNode.Parse(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)))!;
        document["header"]!["schemaVersion"] = version;

        AssertHeaderInvalid(SealFromEstonia(Encoding.UTF8.GetBytes(document.ToJsonString())));
    }

    [Fact]
    public void Envelope_with_a_later_minor_schema_version_opens_because_minor_versions_only_add_optional_fields()
    {
        var document = JsonNode.Parse(SyntheticPayloads.Json(SyntheticPayloads.Consultation(Estonia, Finland)))!;
        document["header"]!["schemaVersion"] = "1.7";

        var opened = ec.OpenerOf(Finland).Open(SealFromEstonia(Encoding.UTF8.GetBytes(document.ToJsonString())));

        Assert.Equal("1.7", opened.Payload.Header.SchemaVersion);
    }

    private byte[] SealFromEstonia(byte[] payloadJson) =>
        ec.Sealer.Seal(payloadJson, ec.SignerOf(Estonia), ec.EncryptionCertificateOf(Finland));

    private void AssertHeaderInvalid(byte[] envelope)
    {
        var exception = Assert.Throws<EnvelopeException>(() => ec.OpenerOf(Finland).Open(envelope));
        Assert.Equal(EnvelopeErrorCodes.HeaderInvalid, exception.Code);
    }
}
