using System.Text.Json;
using System.Text.RegularExpressions;
using Gateway.Contracts.Envelopes;
using Gateway.Contracts.Messages;

namespace Gateway.Service.Disclosure;

/// <summary>
/// An AnonymousConsultation leaves without a legal basis only if it provably carries no personal data (DESIGN §6):
/// no field that any message type files under a category about the person, and no free text that looks like a
/// contact detail, a date or an identity number. A name inside prose cannot be proven absent; the API and the
/// docs say so, and the caseworker's text is never logged.
/// </summary>
public static partial class AnonymityCheck
{
    private static readonly HashSet<string> PersonalNames = MessageTypes.All
        .SelectMany(FieldCatalogue.For)
        .Where(field => DataCategories.IsAboutSubject(field.Category) || field.Sensitivity.HasFlag(Sensitivity.Identifying))
        .SelectMany(field => field.Path.Split('.'))
        .Where(segment => segment.Contains('_', StringComparison.Ordinal))
        .ToHashSet(StringComparer.Ordinal);

    // The blocks that hold data about the person (child, health, criminalCase, safety, logistics, residence), read from
    // the catalogue so that a new block is covered without touching this check.
    private static readonly HashSet<string> PersonalBlocks = MessageTypes.All
        .SelectMany(FieldCatalogue.For)
        .Where(field => DataCategories.IsAboutSubject(field.Category) && field.Path.Contains('.', StringComparison.Ordinal))
        .Select(field => field.Path.Split('.')[0])
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>Null when the body is anonymous; otherwise what gives it away (a field name or a kind of text, not the value).</summary>
    public static string? FindPersonalData(JsonElement body)
    {
        foreach (var (path, value) in BodyFields.Flatten(body))
        {
            if (FieldCatalogue.Find(MessageTypes.AnonymousConsultation, path) is null)
            {
                var segments = path.Split('.');
                if (segments.Any(segment => PersonalNames.Contains(segment) || segment.StartsWith("prs_", StringComparison.Ordinal)
                    || segment.StartsWith("vic_", StringComparison.Ordinal) || segment.StartsWith("per_", StringComparison.Ordinal)
                    || PersonalBlocks.Contains(segment)))
                {
                    return $"{path} is personal data";
                }

                continue; // Not personal by name: the schema refuses it as an unknown field.
            }

            // Only free text can hide a contact detail; dates and codes are held to their schema.
            if (FieldCatalogue.Find(MessageTypes.AnonymousConsultation, path)!.Kind == FieldKind.Text
                && value.ValueKind == JsonValueKind.String && FindInText(value.GetString()!) is { } kind)
            {
                return $"{path} contains what looks like {kind}";
            }
        }

        return null;
    }

    /// <summary>Null when free text shows no identifier; otherwise the kind it looks like (never the value). Used for every free text that cannot be erased or that operators see.</summary>
    public static string? FindInText(string text) =>
        Email().IsMatch(text) ? "an e-mail address"
        : Phone().IsMatch(text) ? "a phone number"
        : Date().IsMatch(text) ? "a date"
        : LongNumber().IsMatch(text) ? "an identity or document number"
        : null;

    [GeneratedRegex(@"[^\s@]+@[^\s@]+\.[^\s@]+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    [GeneratedRegex(@"\+?\d[\d\s().-]{7,}\d", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    [GeneratedRegex(@"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Date();

    [GeneratedRegex(@"\b[A-Z]{0,3}\d{6,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex LongNumber();
}
