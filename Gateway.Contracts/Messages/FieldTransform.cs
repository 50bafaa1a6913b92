namespace Gateway.Contracts.Messages;

/// <summary>How a disclosure profile may reduce a field instead of sending it as it is (DESIGN §7).</summary>
public enum FieldTransform
{
    /// <summary><c>prs_Birthdate</c> becomes <c>prs_AgeBand</c>, computed at the message's creation time.</summary>
    AgeBand,

    /// <summary><c>prs_FirstName</c> keeps only its first given name; middle and second names are never added.</summary>
    FirstNameOnly,
}
