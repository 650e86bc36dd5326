using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmsAchse.Platform.Persistence;

/// <summary>How integration events are stored in the outbox: the same shape MassTransit puts on the wire.</summary>
public static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };
}

/// <summary>The stored name of a message type: full name plus assembly, without version, so it survives upgrades.</summary>
public static class MessageTypeName
{
    public static string Of(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    public static Type Resolve(string name) =>
        Type.GetType(name, throwOnError: false)
        ?? throw new InvalidOperationException($"Outbox message type '{name}' is not known to this service.");
}
