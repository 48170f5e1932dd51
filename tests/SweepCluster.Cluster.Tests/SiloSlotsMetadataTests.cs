using SweepCluster.Cluster.Hosting;

namespace SweepCluster.Cluster.Tests;

[Trait("Category", "Unit")]
public sealed class SiloSlotsMetadataTests
{
    [Fact]
    public void A_silo_description_round_trips_through_metadata()
    {
        var silo = new SiloInfo("node-7", "node 7", new Dictionary<string, string> { ["zone"] = "eu-1", ["gpu"] = "h200" },
            [new SlotInfo("gpu0", 0, "NVIDIA H200", 139.8), new SlotInfo("gpu1", 1, "NVIDIA H200", 139.8), new SlotInfo("cpu0", null, null, 0)]);

        var metadata = SiloSlotsMetadata.ToMetadata(silo);
        var read = SiloSlotsMetadata.FromMetadata(metadata);

        Assert.NotNull(read);
        Assert.Equal((silo.Id, silo.Name), (read.Id, read.Name));
        Assert.Equal(silo.Labels.OrderBy(l => l.Key, StringComparer.Ordinal), read.Labels.OrderBy(l => l.Key, StringComparer.Ordinal));
        Assert.Equal(silo.Slots, read.Slots);
        Assert.Equal([true, true, false], read.Slots.Select(s => s.IsGpu));
    }

    [Fact]
    public void Metadata_uses_the_documented_keys_and_json_field_names()
    {
        var metadata = SiloSlotsMetadata.ToMetadata(new SiloInfo("n", "n", new Dictionary<string, string> { ["zone"] = "a" }, [new SlotInfo("gpu0", 0, "H200", 140)]));

        Assert.Equal(
            ["sweepcluster.labels", "sweepcluster.silo-id", "sweepcluster.silo-name", "sweepcluster.slots"],
            metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""[{"id":"gpu0","gpuIndex":0,"gpuName":"H200","gpuMemoryGiB":140}]""", metadata["sweepcluster.slots"]);
        Assert.Equal("""{"zone":"a"}""", metadata["sweepcluster.labels"]);
    }

    [Fact]
    public void A_silo_without_slots_metadata_reads_as_none()
    {
        Assert.Null(SiloSlotsMetadata.FromMetadata(new Dictionary<string, string> { ["other.key"] = "x" }));
    }

    [Fact]
    public void Malformed_slots_metadata_names_the_silo()
    {
        var metadata = new Dictionary<string, string> { ["sweepcluster.silo-id"] = "node-9", ["sweepcluster.slots"] = "{not json" };

        var error = Assert.Throws<InvalidDataException>(() => SiloSlotsMetadata.FromMetadata(metadata));

        Assert.Contains("node-9", error.Message, StringComparison.Ordinal);
    }
}
