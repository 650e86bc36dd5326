using System.Net;
using System.Net.Sockets;

namespace EmsAchse.Gateway.Limits;

/// <summary>
/// The partition a caller's address belongs to: an IPv4 address on its own, an IPv6 address by its /64, because one
/// subscriber is usually handed a whole /64 and could otherwise take a fresh address (and a fresh bucket) per request.
/// </summary>
internal static class ClientAddress
{
    public static string PartitionOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
