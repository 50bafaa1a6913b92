using System.Collections.Frozen;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;
using Gateway.Contracts.Peering;

namespace Gateway.Service.Disclosure;

/// <summary>
/// The node's disclosure configuration, checked once at start: which profile applies to a recipient and purpose,
/// what a profile lets out, and which categories a legal basis other than consent covers.
/// </summary>
public sealed class DisclosurePolicy
{
    private readonly IReadOnlyList<DisclosureProfile> _profiles;
    private readonly FrozenDictionary<string, DisclosureProfile> _byName;
    private readonly DisclosureOptions _options;

    public DisclosurePolicy(DisclosureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _profiles = options.Profiles.Count > 0 ? options.Profiles : DisclosureDefaults.Profiles(options.LegalObligations);
        Validate(_profiles, options);
        _byName = _profiles.ToFrozenDictionary(profile => profile.Name, StringComparer.Ordinal);
        VitalInterestsCategories = new HashSet<DataCategory>(options.VitalInterestsCategories.Count > 0 ? options.VitalInterestsCategories : DisclosureDefaults.VitalInterestsCategories);
    }

    public IReadOnlyList<DisclosureProfile> Profiles => _profiles;

    public IReadOnlySet<DataCategory> VitalInterestsCategories { get; }

    public IReadOnlyList<LegalObligationRule> LegalObligations => _options.LegalObligations;

    public int MinimumJustificationLength => _options.MinimumJustificationLength;

    public DisclosureProfile? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The profile for data going to (or, on the receiving side, coming from) <paramref name="peerId"/>.</summary>
    public DisclosureProfile? Resolve(string peerId, PeerKind recipientKind, string purpose)
    {
        if (_options.Agreements.TryGetValue(peerId, out var agreed) && agreed.TryGetValue(purpose, out var name))
        {
            return _byName.GetValueOrDefault(name);
        }

        return _profiles.FirstOrDefault(profile => profile.RecipientKinds.Contains(recipientKind) && profile.Purposes.Contains(purpose, StringComparer.Ordinal));
    }

    public LegalObligationRule? LegalObligationFor(PeerKind recipientKind, string purpose) =>
        _options.LegalObligations.FirstOrDefault(rule => rule.RecipientKind == recipientKind && rule.Purposes.Contains(purpose, StringComparer.Ordinal));

    /// <summary>The fields a recipient may receive under <paramref name="profile"/>: as they are, transformed, and required.</summary>
    public static IReadOnlySet<string> OutputFields(DisclosureProfile profile, string messageType)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var fields = new HashSet<string>(profile.Fields, StringComparer.Ordinal);
        foreach (var transform in profile.Transforms.Values)
        {
            fields.Add(FieldTransforms.OutputPath(transform));
        }

        foreach (var field in FieldCatalogue.For(messageType).Where(field => field.Required))
        {
            fields.Add(field.Path);
        }

        return fields;
    }

    private static void Validate(IReadOnlyList<DisclosureProfile> profiles, DisclosureOptions options)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < profiles.Count; i++)
        {
            var profile = profiles[i];
            var where = $"Gateway:Disclosure:Profiles:{i}";
            if (string.IsNullOrWhiteSpace(profile.Name) || !names.Add(profile.Name))
            {
                throw new DisclosureConfigurationException($"{where}:Name", "must be set and unique");
            }

            var unknownPurpose = profile.Purposes.FirstOrDefault(purpose => !MessagePurposes.All.Contains(purpose, StringComparer.Ordinal));
            if (profile.Purposes.Count == 0 || unknownPurpose is not null)
            {
                throw new DisclosureConfigurationException($"{where}:Purposes", $"must list purposes of {string.Join(", ", MessagePurposes.All)}");
            }

            var types = MessageTypes.All.Where(type => MessagePurposes.AllowedFor(type).Intersect(profile.Purposes, StringComparer.Ordinal).Any()).ToList();
            foreach (var field in profile.Fields.Concat(profile.Transforms.Keys))
            {
                if (!types.Any(type => FieldCatalogue.Find(type, field) is not null))
                {
                    throw new DisclosureConfigurationException($"{where}:Fields", $"{field} is not a field of a message sent for {string.Join("/", profile.Purposes)}");
                }
            }

            foreach (var (field, transform) in profile.Transforms)
            {
                if (FieldTransforms.SourcePath(transform) != field)
                {
                    throw new DisclosureConfigurationException($"{where}:Transforms:{field}", $"{transform} applies to {FieldTransforms.SourcePath(transform)} only");
                }

                if (profile.Fields.Contains(field, StringComparer.Ordinal))
                {
                    throw new DisclosureConfigurationException($"{where}:Fields", $"{field} is both sent as it is and transformed");
                }
            }
        }

        if (options.MinimumJustificationLength < 1)
        {
            throw new DisclosureConfigurationException("Gateway:Disclosure:MinimumJustificationLength", "must be at least 1");
        }

        foreach (var (peer, purposes) in options.Agreements)
        {
            foreach (var (purpose, name) in purposes)
            {
                if (!names.Contains(name))
                {
                    throw new DisclosureConfigurationException($"Gateway:Disclosure:Agreements:{peer}:{purpose}", $"names no profile ({name})");
                }
            }
        }

        for (var i = 0; i < options.LegalObligations.Count; i++)
        {
            var rule = options.LegalObligations[i];
            if (rule.Purposes.Count == 0 || rule.Categories.Count == 0 || string.IsNullOrWhiteSpace(rule.Reference)
                || rule.Purposes.Any(purpose => !MessagePurposes.All.Contains(purpose, StringComparer.Ordinal)))
            {
                throw new DisclosureConfigurationException($"Gateway:Disclosure:LegalObligations:{i}", $"needs Purposes (of {string.Join(", ", MessagePurposes.All)}), Categories and the Reference of the provision");
            }
        }
    }
}
