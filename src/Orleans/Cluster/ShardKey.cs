using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Orleans.Runtime;

namespace Pipelines.Orleans.Cluster;

/// <summary>
/// The grain keys of Pipelines' grains on a silo: <c>{name}@{silo}</c>, where <c>silo</c> is the silo's
/// <see cref="SiloAddress.ToParsableString"/> (which has an <c>@</c> of its own, before the generation) and <c>name</c> is a
/// shard's slot number or <see cref="ViewName"/>. The placement director (<c>SiloPinnedPlacementDirector</c>) activates
/// such a grain on the silo its key names while that silo is active, so a client chooses where a call runs by choosing
/// the key. A silo that restarts has a new generation, hence new keys: a key never names two silo processes.
/// </summary>
internal static class ShardKey
{
    /// <summary>The name part of a silo's cluster-view grain.</summary>
    public const string ViewName = "view";

    /// <summary>The key of the view grain that any silo may host: how a client that knows no silo yet finds them.</summary>
    public const string AnyView = "view@any";

    /// <summary>The key of shard <paramref name="slot"/> on <paramref name="silo"/> (a parsable silo address).</summary>
    public static string For(string silo, int slot) => string.Create(CultureInfo.InvariantCulture, $"{slot}@{silo}");

    /// <summary>The key of the cluster-view grain on <paramref name="silo"/>.</summary>
    public static string View(string silo) => ViewName + "@" + silo;

    /// <summary>The silo part of <paramref name="key"/> (a parsable address, or <c>any</c>); empty if the key has none.</summary>
    public static string SiloOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int at = key.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? string.Empty : key[(at + 1)..];
    }

    /// <summary>The silo <paramref name="key"/> names, if it names one.</summary>
    public static bool TryParseSilo(string key, [NotNullWhen(true)] out SiloAddress? silo)
    {
        silo = null;
        string address = SiloOf(key);
        return address.Length > 0 && SiloAddress.TryParse(address, CultureInfo.InvariantCulture, out silo);
    }
}
