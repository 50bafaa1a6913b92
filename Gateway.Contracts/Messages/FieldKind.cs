namespace Gateway.Contracts.Messages;

/// <summary>The JSON shape of a catalogued field.</summary>
public enum FieldKind
{
    Text,

    /// <summary>One value of a fixed list (an HTCDS picklist where one exists).</summary>
    Code,

    /// <summary>Several values of a fixed list (an HTCDS multiselect picklist).</summary>
    CodeList,

    /// <summary>Several short texts, e.g. ISO 639-2 language codes.</summary>
    TextList,

    /// <summary>An ISO 3166-1 alpha-2 country code: two capital letters.</summary>
    CountryCode,

    /// <summary><c>YYYY-MM-DD</c>.</summary>
    Date,

    /// <summary>RFC 3339 with an offset.</summary>
    DateTime,

    Boolean,

    Integer,
}
