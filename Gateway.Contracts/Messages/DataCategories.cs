namespace Gateway.Contracts.Messages;

public static class DataCategories
{
    /// <summary>Categories of data about the person: each needs a legal basis that covers it.</summary>
    public static IReadOnlyList<DataCategory> Subject { get; } =
    [
        DataCategory.Identity, DataCategory.Contact, DataCategory.Demographic, DataCategory.Health, DataCategory.Exploitation,
        DataCategory.CriminalCase, DataCategory.Child, DataCategory.Safety, DataCategory.Logistics, DataCategory.Needs, DataCategory.Residence,
    ];

    public static bool IsAboutSubject(DataCategory category) => category is not (DataCategory.Administrative or DataCategory.Professional);
}
