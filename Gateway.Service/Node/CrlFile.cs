namespace Gateway.Service.Node;

/// <summary>A CRL file as DER, whether it was saved as DER or PEM.</summary>
internal static class CrlFile
{
    public static byte[] Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return System.Security.Cryptography.PemEncoding.TryFind(text, out var pem) ? Convert.FromBase64String(text[pem.Base64Data]) : bytes;
    }
}
