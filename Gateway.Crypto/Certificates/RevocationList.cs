using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;
using BouncyCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Gateway.Crypto.Certificates;

/// <summary>
/// One full CRL (RFC 5280 §5) as read from a file: its issuer's name, its CRLNumber and its validity window. Only
/// what this node can apply whole is read: a CRL with a critical extension (a delta CRL, or an issuing distribution
/// point that makes it partitioned or indirect) or without a nextUpdate is refused, because applied as a full CRL it
/// would hide revocations.
/// </summary>
public sealed class RevocationList
{
    private const string PemLabel = "X509 CRL";

    private RevocationList(X509Crl crl, string source)
    {
        Crl = crl;
        Source = source;
        Issuer = crl.IssuerDN.ToString();
        ThisUpdate = new DateTimeOffset(DateTime.SpecifyKind(crl.ThisUpdate, DateTimeKind.Utc));
        NextUpdate = crl.NextUpdate is { } next
            ? new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc))
            : throw new RevocationListException(source, "a CRL has no nextUpdate (RFC 5280 requires one), so it could never be judged stale");
        if (crl.GetExtensionValue(X509Extensions.CrlNumber) is { } number)
        {
            Number = new System.Numerics.BigInteger(DerInteger.GetInstance(Asn1Object.FromByteArray(number.GetOctets())).Value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
        }
    }

    internal X509Crl Crl { get; }

    /// <summary>Where it was read from (a file name), for operators' messages.</summary>
    public string Source { get; }

    /// <summary>The issuer's distinguished name, as BouncyCastle writes it.</summary>
    public string Issuer { get; }

    /// <summary>The CRLNumber extension; null when the CRL has none (it then loses to any CRL that has one).</summary>
    public System.Numerics.BigInteger? Number { get; }

    public DateTimeOffset ThisUpdate { get; }

    /// <summary>When the issuer promised the next CRL; after it (and the node's grace period) this CRL is stale.</summary>
    public DateTimeOffset NextUpdate { get; }

    /// <summary>Every CRL in a file: PEM (any number of <c>X509 CRL</c> blocks) or one DER CRL. Throws <see cref="RevocationListException"/>.</summary>
    public static IReadOnlyList<RevocationList> Read(byte[] file, string source)
    {
        ArgumentNullException.ThrowIfNull(file);
        var blocks = PemBlocks(file);
        if (blocks.Count == 0)
        {
            blocks = [file];
        }

        var lists = new List<RevocationList>();
        foreach (var der in blocks)
        {
            X509Crl crl;
            try
            {
                crl = new X509Crl(CertificateList.GetInstance(Asn1Object.FromByteArray(der)));
                _ = crl.ThisUpdate;
            }
            catch (Exception exception) when (exception is IOException or ArgumentException or InvalidCastException or InvalidOperationException
                or FormatException or IndexOutOfRangeException or NullReferenceException or OverflowException or Asn1Exception)
            {
                throw new RevocationListException(source, $"is not a DER or PEM certificate revocation list ({exception.GetType().Name})");
            }

            if (crl.GetCriticalExtensionOids() is { Count: > 0 } critical)
            {
                throw new RevocationListException(source,
                    $"a CRL carries critical extensions this node does not apply ({string.Join(", ", critical)}: a delta, partitioned or indirect CRL); give it full CRLs");
            }

            lists.Add(new RevocationList(crl, source));
        }

        return lists;
    }

    /// <summary>Newer: the higher CRLNumber, then the later thisUpdate (RFC 5280 §5.2.3: numbers increase with every CRL an issuer publishes).</summary>
    internal static RevocationList? Newest(IEnumerable<RevocationList> lists) =>
        lists.OrderByDescending(list => list.Number ?? System.Numerics.BigInteger.MinusOne).ThenByDescending(list => list.ThisUpdate).FirstOrDefault();

    /// <summary>Issued by <paramref name="issuer"/>: its name, and a signature its key verifies.</summary>
    internal bool IssuedBy(BouncyCertificate issuer)
    {
        if (!Crl.IssuerDN.Equivalent(issuer.SubjectDN))
        {
            return false;
        }

        try
        {
            Crl.Verify(issuer.GetPublicKey());
            return true;
        }
        catch (Exception exception) when (exception is Org.BouncyCastle.Security.InvalidKeyException or Org.BouncyCastle.Security.SignatureException
            or Org.BouncyCastle.Security.Certificates.CrlException or InvalidOperationException)
        {
            return false;
        }
    }

    internal bool Lists(X509Certificate2 certificate) => Crl.IsRevoked(BouncyConvert.ToBouncy(certificate));

    private static List<byte[]> PemBlocks(byte[] file)
    {
        var text = Encoding.ASCII.GetString(file);
        var blocks = new List<byte[]>();
        var offset = 0;
        while (PemEncoding.TryFind(text.AsSpan(offset), out var fields))
        {
            var (start, length) = fields.Location.GetOffsetAndLength(text.Length - offset);
            if (text.AsSpan(offset)[fields.Label].SequenceEqual(PemLabel))
            {
                blocks.Add(Convert.FromBase64String(text.AsSpan(offset)[fields.Base64Data].ToString()));
            }

            offset += start + length;
        }

        return blocks;
    }
}
