using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Contracts;
using Gateway.Contracts.People;

namespace Gateway.Service.Access;

/// <summary>
/// The node's people.json, checked when it is read (DESIGN §14): its units and intake unit, and which personal client
/// certificate is which person. A wrong file stops the node at start with the field named.
/// </summary>
public sealed partial class PeopleDirectory
{
    private readonly IReadOnlyDictionary<string, PersonDocument> _byId;
    private readonly IReadOnlyDictionary<string, PersonDocument> _bySha256;
    private readonly IReadOnlyDictionary<(string Subject, string? Issuer), PersonDocument> _bySubject;

    private PeopleDirectory(PeopleDocument document)
    {
        Units = document.Units;
        IntakeUnit = document.IntakeUnit;
        _byId = document.People.ToDictionary(person => person.Id, StringComparer.Ordinal);
        _bySha256 = document.People.SelectMany(person => person.Certificates.Where(entry => entry.Sha256 is not null).Select(entry => (Key: entry.Sha256!.ToUpperInvariant(), person)))
            .ToDictionary(pair => pair.Key, pair => pair.person, StringComparer.Ordinal);
        _bySubject = document.People.SelectMany(person => person.Certificates.Where(entry => entry.Subject is not null).Select(entry => (Key: (entry.Subject!, entry.Issuer), person)))
            .ToDictionary(pair => pair.Key, pair => pair.person);
    }

    public IReadOnlyList<UnitDocument> Units { get; }

    /// <summary>The unit that owns the cases partners open here.</summary>
    public string IntakeUnit { get; }

    public bool IsUnit(string unit) => Units.Any(known => known.Id == unit);

    /// <summary>The people listed in people.json.</summary>
    public IEnumerable<Person> People => _byId.Values.Select(ToPerson);

    public Person? Find(string personId) => _byId.TryGetValue(personId, out var person) ? ToPerson(person) : null;

    /// <summary>The person whose personal certificate this is, by its SHA-256 or by subject (and issuer, when listed).</summary>
    public Person? FindByCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (_bySha256.TryGetValue(certificate.GetCertHashString(HashAlgorithmName.SHA256), out var byHash))
        {
            return ToPerson(byHash);
        }

        return _bySubject.TryGetValue((certificate.Subject, certificate.Issuer), out var exact) || _bySubject.TryGetValue((certificate.Subject, null), out exact)
            ? ToPerson(exact)
            : null;
    }

    /// <summary>Only the roles and units this node knows, so an identity provider cannot invent either.</summary>
    public Person FromClaims(string id, string name, IEnumerable<string> roles, IEnumerable<string> units) =>
        new(id, name, [.. roles.Where(InternalRoles.All.Contains).Distinct(StringComparer.Ordinal)], [.. units.Where(IsUnit).Distinct(StringComparer.Ordinal)]);

    public static PeopleDirectory Load(string path)
    {
        PeopleDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PeopleDocument>(File.ReadAllBytes(path), GatewayJson.Options);
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"{path}: not a people.json document ({exception.Path ?? "$"}: {exception.Message.Split('.')[0]})", exception);
        }

        if (document is null)
        {
            throw new InvalidOperationException($"{path}: is empty");
        }

        Validate(path, document);
        return new PeopleDirectory(document);
    }

    private static void Validate(string path, PeopleDocument document)
    {
        var problems = new List<string>();
        var units = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.Units.Count; i++)
        {
            if (!IdShape().IsMatch(document.Units[i].Id) || !units.Add(document.Units[i].Id))
            {
                problems.Add($"units[{i}].id must be unique: letters, digits and dashes, 1 to 64");
            }
        }

        if (!units.Contains(document.IntakeUnit))
        {
            problems.Add("intakeUnit must be one of units[].id");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var certificates = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < document.People.Count; i++)
        {
            var person = document.People[i];
            if (!IdShape().IsMatch(person.Id) || !ids.Add(person.Id))
            {
                problems.Add($"people[{i}].id must be unique: letters, digits and dashes, 1 to 64");
            }

            for (var r = 0; r < person.Roles.Count; r++)
            {
                if (!InternalRoles.All.Contains(person.Roles[r], StringComparer.Ordinal))
                {
                    problems.Add($"people[{i}].roles[{r}] must be one of {string.Join(", ", InternalRoles.All)}");
                }
            }

            for (var u = 0; u < person.Units.Count; u++)
            {
                if (!units.Contains(person.Units[u]))
                {
                    problems.Add($"people[{i}].units[{u}] is not one of units[].id");
                }
            }

            if (person.DefaultUnit is { } home && !person.Units.Contains(home, StringComparer.Ordinal))
            {
                problems.Add($"people[{i}].defaultUnit must be one of the person's units");
            }

            for (var c = 0; c < person.Certificates.Count; c++)
            {
                var entry = person.Certificates[c];
                var key = entry.Sha256?.ToUpperInvariant() ?? $"{entry.Subject}|{entry.Issuer}";
                if ((entry.Sha256 is null && entry.Subject is null) || (entry.Sha256 is { } hash && !Sha256Shape().IsMatch(hash)) || !certificates.Add(key))
                {
                    problems.Add($"people[{i}].certificates[{c}] needs a sha256 (64 hex digits) or a subject, and may name a certificate only once in the file");
                }
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException($"{path}: {string.Join("; ", problems)}");
        }
    }

    private static Person ToPerson(PersonDocument document) =>
        new(document.Id, document.DisplayName, document.Roles, document.Units, document.DefaultUnit);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex IdShape();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial Regex Sha256Shape();
}
