using System.Data.Common;

namespace Gateway.Service.Persistence;

/// <summary>Reading columns the same way on SQLite and PostgreSQL (integers come back as Int64 or Int32).</summary>
public static class Rows
{
    public static int Int(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : Convert.ToInt32(reader.GetValue(ordinal));

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static byte[]? NullableBytes(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : (byte[])reader.GetValue(ordinal);

    public static Guid? NullableGuid(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Guid.Parse(reader.GetString(ordinal));

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) => SqlStatement.FromMs(reader.GetInt64(ordinal));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : SqlStatement.FromMs(reader.GetInt64(ordinal));
}
