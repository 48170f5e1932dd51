using SweepCluster.Cli.Output;

namespace SweepCluster.Cli.Tests;

[Trait("Category", "Unit")]
public sealed class CompactTableTests
{
    /// <summary>The seed test matrix at the GPU profile's size (three seeds): the widest cells the README's matrix has.</summary>
    private static readonly MatrixColumn[] SeedMatrix =
    [
        new("config", 0, ["original", "no_skip", "no_skip_everywhere", "pure_n2n"]),
        new("verdict", 0, ["fail", "fail", "fail", "partial"]),
        new("expected", 1, ["fail (noise leak)", "fail (skip dependency)", "pass? test this!", "partial?"]),
        new("going down", 3, ["yes (3/3)", "no (0/3)", "no (1/3)", "no (0/3)"]),
        new("PSNR cross (dB)", 4, ["21.71 ± 0.12", "22.17 ± 0.08", "22.07 ± 0.15", "22.21 ± 0.04"]),
        new("gain (dB)", 5, ["-0.24 ± 0.12", "0.22 ± 0.08", "0.12 ± 0.15", "0.26 ± 0.04"]),
        new("leakage", 6, ["0.952 ± 0.004", "0.006 ± 0.001", "0.005 ± 0.001", "0.006 ± 0.002"]),
        new("n", 7, ["3", "3", "3", "3"]),
        new("vs expected", 8, ["agrees", "agrees", "differs", "differs"]),
        new("SSIM cross", 9, ["0.512 ± 0.010", "0.540 ± 0.012", "0.538 ± 0.009", "0.541 ± 0.011"]),
        new("cross loss", 12, ["0.8605 ± 0.005246", "0.9034 ± 0.06944", "0.9034 ± 0.06944", "0.9034 ± 0.06944"]),
        new("trainer.cross_domain_strategy", 20, ["use_source_skip", "no_skip", "no_skip", "no_skip"]),
        new("trainer.loss_weights.recon", 21, ["0.5", "0.5", "0.05", "0.2"]),
    ];

    [Fact]
    public void The_seed_matrix_fits_120_columns_with_configuration_verdict_expected_and_the_key_outcomes()
    {
        var shown = CompactTable.Fit(SeedMatrix, 120);
        var lines = CompactTable.Lines(shown);

        Assert.All(lines, line => Assert.True(line.Length <= 120, $"{line.Length} columns: {line}"));
        Assert.Equal(["config", "verdict", "expected", "going down", "PSNR cross (dB)", "gain (dB)", "leakage"], shown.Select(c => c.Header).Take(7));
        // One line per row, every configuration whole, its verdict on the same line.
        Assert.Equal(2 + 4, lines.Count);
        Assert.Contains(lines, l => l.StartsWith("| no_skip_everywhere | fail ", StringComparison.Ordinal));
    }

    [Fact]
    public void Columns_are_dropped_lowest_priority_first_and_keep_their_order()
    {
        var shown = CompactTable.Fit(SeedMatrix, 60);

        Assert.Equal(["config", "verdict", "expected"], shown.Select(c => c.Header));
        Assert.True(CompactTable.LineWidth(shown) <= 60);
    }

    [Fact]
    public void The_configuration_and_verdict_stay_whole_even_when_they_alone_are_wider()
    {
        var shown = CompactTable.Fit(SeedMatrix, 20);
        var lines = CompactTable.Lines(shown);

        Assert.Equal(["config", "verdict"], shown.Select(c => c.Header));
        Assert.Equal("| no_skip_everywhere | fail    |", lines[4]);
    }

    [Fact]
    public void A_plain_table_keeps_each_row_on_one_line_with_its_cells_whole_and_aligned()
    {
        var table = new CliTable("#", "trial", "parameters", "expected") { Title = "seed-test-matrix: profile cpu" };
        var parameters = string.Join(", ", Enumerable.Range(0, 12).Select(i => $"model.decoder_a.features_{i}=[64,32,16]"));
        table.AddRow("1", "f2998e187adfe76f", parameters, "fail (noise\nleak)");
        table.AddRow("12", "023d3abb5cd447ed", "x=1", "pass?");

        var lines = PlainTable.Lines(table).ToList();

        Assert.Equal(4, lines.Count);
        Assert.Equal("seed-test-matrix: profile cpu", lines[0]);
        Assert.StartsWith("1   f2998e187adfe76f  " + parameters + "  fail (noise leak)", lines[2], StringComparison.Ordinal);
        Assert.Equal(lines[1].IndexOf("expected", StringComparison.Ordinal), lines[3].IndexOf("pass?", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
    }
}
