using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Contracts.Messages;

namespace Gateway.Service.Disclosure;

/// <summary>
/// What is sent = profile allow-list ∩ categories the legal basis covers ∩ fields present, with the profile's
/// transformations (DESIGN §7). Pure: the same input gives the same output, so preview and send agree.
/// </summary>
public static class Minimiser
{
    public const string NotInProfile = "NOT_IN_PROFILE";
    public const string CategoryNotCovered = "CATEGORY_NOT_COVERED";

    public static MinimisedBody Minimise(string messageType, JsonElement body, DisclosureProfile profile, IReadOnlySet<DataCategory> coveredCategories, DateTimeOffset createdAt)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(coveredCategories);
        var allowed = new HashSet<string>(profile.Fields, StringComparer.Ordinal);
        var kept = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        var withheld = new List<WithheldField>();
        foreach (var (path, value) in BodyFields.Flatten(body))
        {
            var field = FieldCatalogue.Find(messageType, path)
                ?? throw new ArgumentException($"{path} is not a field of {messageType}; validate the body first", nameof(body));
            string outputPath;
            JsonNode? output;
            if (profile.Transforms.TryGetValue(path, out var transform))
            {
                outputPath = FieldTransforms.OutputPath(transform);
                output = FieldTransforms.Apply(transform, value, createdAt);
            }
            else if (allowed.Contains(path) || field.Required)
            {
                outputPath = path;
                output = JsonNode.Parse(value.GetRawText());
            }
            else
            {
                withheld.Add(new WithheldField(path, NotInProfile));
                continue;
            }

            var category = FieldCatalogue.Find(messageType, outputPath)!.Category;
            if (DataCategories.IsAboutSubject(category) && !coveredCategories.Contains(category))
            {
                withheld.Add(new WithheldField(path, $"{CategoryNotCovered}:{category}"));
                continue;
            }

            // A transformed value replaces one sent as it is under the same name (a body with both prs_AgeBand and prs_Birthdate).
            if (!kept.ContainsKey(outputPath) || profile.Transforms.ContainsKey(path))
            {
                kept[outputPath] = output;
            }
        }

        return new MinimisedBody
        {
            Body = BodyFields.Build(kept),
            Disclosed = [.. kept.Keys],
            Withheld = withheld,
            SubjectCategories = [.. kept.Keys.Select(path => FieldCatalogue.Find(messageType, path)!.Category).Where(DataCategories.IsAboutSubject).Distinct().Order()],
        };
    }
}
