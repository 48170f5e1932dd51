using System.Text.Json;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace SweepCluster.Cluster.Hosting;

/// <summary>
/// Writes a silo's description (<see cref="SiloInfo"/>: id, name, labels, slots) into Orleans silo metadata and reads
/// it back, so a placement director on any silo sees every silo's slots through <see cref="ISiloMetadataCache"/>.
/// </summary>
/// <remarks>
/// <para>
/// Silo metadata is static (fixed when the silo starts) and a dictionary of strings; the description is spread over
/// four keys, the slots and labels as JSON. The keys and the JSON field names are a contract between silos of
/// different versions in one cluster: add fields, never rename or retype one.
/// </para>
/// <para>
/// <see cref="ISiloMetadataCache"/> fetches a silo's metadata once it sees the silo join (Joining or Active in the
/// membership table); until then, and for a silo that advertises no description, <see cref="GetSiloInfo"/> returns
/// null. A failed fetch is retried only at the next membership change, so <see cref="Silos.MembershipClusterSlots"/>
/// asks a silo the cache has nothing for itself.
/// </para>
/// </remarks>
public static class SiloSlotsMetadata
{
    /// <summary>The slots, a JSON array of <c>{ id, gpuIndex, gpuName, gpuMemoryGiB }</c>; its presence marks a described silo.</summary>
    public const string SlotsKey = "sweepcluster.slots";

    /// <summary>The labels, a JSON object of strings.</summary>
    public const string LabelsKey = "sweepcluster.labels";

    public const string SiloIdKey = "sweepcluster.silo-id";

    public const string SiloNameKey = "sweepcluster.silo-name";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The metadata entries describing <paramref name="silo"/>.</summary>
    public static Dictionary<string, string> ToMetadata(SiloInfo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SiloIdKey] = silo.Id,
            [SiloNameKey] = silo.Name,
            [LabelsKey] = JsonSerializer.Serialize(silo.Labels, Json),
            [SlotsKey] = JsonSerializer.Serialize(silo.Slots.Select(s => new SlotJson(s.Id, s.GpuIndex, s.GpuName, s.GpuMemoryGiB)).ToArray(), Json),
        };
    }

    /// <summary>
    /// The silo described by <paramref name="metadata"/>; null when it carries no <see cref="SlotsKey"/>. Throws
    /// <see cref="InvalidDataException"/> when the entries are present but malformed.
    /// </summary>
    public static SiloInfo? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(SlotsKey, out var slotsJson))
        {
            return null;
        }

        var id = Required(metadata, SiloIdKey);
        try
        {
            var slots = JsonSerializer.Deserialize<SlotJson[]>(slotsJson, Json)
                ?? throw new InvalidDataException($"Silo metadata '{SlotsKey}' of silo '{id}' is null.");
            var labels = metadata.TryGetValue(LabelsKey, out var labelsJson)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(labelsJson, Json) ?? []
                : [];
            return new SiloInfo(
                id,
                metadata.TryGetValue(SiloNameKey, out var name) ? name : id,
                labels,
                [.. slots.Select(s => new SlotInfo(
                    s.Id ?? throw new InvalidDataException($"A slot in silo metadata '{SlotsKey}' of silo '{id}' has no id."),
                    s.GpuIndex,
                    s.GpuName,
                    s.GpuMemoryGiB))]);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"Silo metadata of silo '{id}' is not valid: {error.Message}", error);
        }
    }

    /// <summary>The description <paramref name="silo"/> advertises, as the local silo's metadata cache holds it; null if none (yet).</summary>
    public static SiloInfo? GetSiloInfo(this ISiloMetadataCache cache, SiloAddress silo)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(silo);
        return FromMetadata(cache.GetSiloMetadata(silo).Metadata);
    }

    private static string Required(IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value)
            ? value
            : throw new InvalidDataException($"Silo metadata has '{SlotsKey}' but no '{key}'.");

    /// <summary>The wire form of one slot, apart from <see cref="SlotInfo"/> so renaming a property there cannot change the contract.</summary>
    private sealed record SlotJson(string? Id, int? GpuIndex, string? GpuName, double GpuMemoryGiB);
}
