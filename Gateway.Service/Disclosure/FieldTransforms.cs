using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Contracts.Messages;

namespace Gateway.Service.Disclosure;

/// <summary>The reductions of DESIGN §7: birth date → age band, full name → first given name.</summary>
public static class FieldTransforms
{
    public static string SourcePath(FieldTransform transform) => transform switch
    {
        FieldTransform.AgeBand => "prs_Birthdate",
        FieldTransform.FirstNameOnly => "prs_FirstName",
        _ => throw new ArgumentOutOfRangeException(nameof(transform)),
    };

    public static string OutputPath(FieldTransform transform) => transform switch
    {
        FieldTransform.AgeBand => "prs_AgeBand",
        FieldTransform.FirstNameOnly => "prs_FirstName",
        _ => throw new ArgumentOutOfRangeException(nameof(transform)),
    };

    public static JsonNode Apply(FieldTransform transform, JsonElement value, DateTimeOffset at) => transform switch
    {
        FieldTransform.AgeBand => JsonValue.Create(AgeBandOf(DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture), at))!,
        FieldTransform.FirstNameOnly => JsonValue.Create(FirstGivenName(value.GetString()!))!,
        _ => throw new ArgumentOutOfRangeException(nameof(transform)),
    };

    public static int AgeAt(DateOnly birthdate, DateTimeOffset at)
    {
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        var age = today.Year - birthdate.Year;
        return birthdate > today.AddYears(-age) ? age - 1 : age;
    }

    public static string AgeBandOf(DateOnly birthdate, DateTimeOffset at)
    {
        var age = Math.Max(0, AgeAt(birthdate, at));
        return age switch
        {
            <= 5 => "0-5",
            <= 11 => "6-11",
            <= 15 => "12-15",
            <= 17 => "16-17",
            <= 24 => "18-24",
            <= 34 => "25-34",
            <= 49 => "35-49",
            <= 64 => "50-64",
            _ => "65+",
        };
    }

    /// <summary>The first of the given names; a hyphenated name is one name.</summary>
    public static string FirstGivenName(string givenNames) =>
        givenNames.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is [var first, ..] ? first : givenNames.Trim();
}
