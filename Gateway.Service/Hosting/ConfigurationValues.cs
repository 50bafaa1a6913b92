using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Gateway.Service.Hosting;

/// <summary>
/// An options object as the configuration keys that bind back to it (<c>Gateway:Delivery:Peers:FI-NRM:AttemptTimeout</c>),
/// so settings made in code (the demo, dev PKIs, tests) reach the features through the same configuration as a deployment's.
/// </summary>
internal static class ConfigurationValues
{
    public static IEnumerable<KeyValuePair<string, string?>> Of(object options, string section)
    {
        ArgumentNullException.ThrowIfNull(options);
        var values = new List<KeyValuePair<string, string?>>();
        AddObject(values, section, options);
        return values;
    }

    private static void Add(List<KeyValuePair<string, string?>> values, string key, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                values.Add(new(key, text));
                return;
            case TimeSpan span:
                values.Add(new(key, span.ToString("c", CultureInfo.InvariantCulture)));
                return;
            case Enum or bool:
                values.Add(new(key, value.ToString()));
                return;
            case IFormattable number when value.GetType().IsPrimitive || value is decimal:
                values.Add(new(key, number.ToString(null, CultureInfo.InvariantCulture)));
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Add(values, $"{key}:{entry.Key}", entry.Value);
                }

                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items)
                {
                    Add(values, $"{key}:{index++}", item);
                }

                return;
            default:
                AddObject(values, key, value);
                return;
        }
    }

    private static void AddObject(List<KeyValuePair<string, string?>> values, string prefix, object value)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(property => property.CanRead && property.CanWrite))
        {
            var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
            Add(values, $"{prefix}:{name}", property.GetValue(value));
        }
    }
}
