namespace SweepCluster.Denoising.Rendering;

/// <summary>
/// Lays labelled tiles out on a grid (row by row) and renders them to an 8-bit image: each cell is a label strip
/// (5x7 font, white on black) above the tile, with a gap between cells. Tiles of different sizes share the
/// largest cell size.
/// </summary>
public static class PanelRenderer
{
    private const int Gap = 4;
    private const int LabelHeight = BitmapFont.GlyphHeight + 4;

    public static GrayImage Render(IReadOnlyList<PanelTile> tiles, int columns)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (tiles.Count == 0)
        {
            throw new ArgumentException("A panel needs at least one tile.", nameof(tiles));
        }

        foreach (var tile in tiles)
        {
            if (tile.Pixels.Length != tile.Height * tile.Width)
            {
                throw new ArgumentException($"Tile '{tile.Label}' has {tile.Pixels.Length} pixels, not {tile.Height}x{tile.Width}.", nameof(tiles));
            }
        }

        columns = Math.Min(columns, tiles.Count);
        var rows = (tiles.Count + columns - 1) / columns;
        var cellWidth = tiles.Max(t => Math.Max(t.Width, BitmapFont.MeasureWidth(t.Label) + 2));
        var cellHeight = tiles.Max(t => t.Height) + LabelHeight;
        var image = new GrayImage((columns * cellWidth) + ((columns + 1) * Gap), (rows * cellHeight) + ((rows + 1) * Gap));
        for (var i = 0; i < tiles.Count; i++)
        {
            var left = Gap + ((i % columns) * (cellWidth + Gap));
            var top = Gap + ((i / columns) * (cellHeight + Gap));
            DrawText(image, tiles[i].Label, left + 1, top + 2);
            DrawTile(image, tiles[i], left, top + LabelHeight);
        }

        return image;
    }

    /// <summary>Renders and writes the panel as a PNG.</summary>
    public static void SavePng(string path, IReadOnlyList<PanelTile> tiles, int columns) => Render(tiles, columns).SavePng(path);

    /// <summary>Maps a value to a gray level: <paramref name="low"/> is 0, <paramref name="high"/> is 255, rounded, clipped.</summary>
    public static byte ToGray(double value, double low, double high)
    {
        if (!double.IsFinite(value) || high <= low)
        {
            return 0;
        }

        var scaled = Math.Round((value - low) / (high - low) * 255.0, MidpointRounding.AwayFromZero);
        return (byte)Math.Clamp(scaled, 0, 255);
    }

    private static void DrawTile(GrayImage image, PanelTile tile, int left, int top)
    {
        for (var y = 0; y < tile.Height; y++)
        {
            for (var x = 0; x < tile.Width; x++)
            {
                image.Pixels[((top + y) * image.Width) + left + x] = ToGray(tile.Pixels[(y * tile.Width) + x], tile.Low, tile.High);
            }
        }
    }

    private static void DrawText(GrayImage image, string text, int left, int top)
    {
        for (var i = 0; i < text.Length; i++)
        {
            for (var y = 0; y < BitmapFont.GlyphHeight; y++)
            {
                for (var x = 0; x < BitmapFont.GlyphWidth; x++)
                {
                    var px = left + (i * BitmapFont.Advance) + x;
                    if (px < image.Width && BitmapFont.IsSet(text[i], x, y))
                    {
                        image.Pixels[((top + y) * image.Width) + px] = 255;
                    }
                }
            }
        }
    }
}
