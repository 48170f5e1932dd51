using SweepCluster.Denoising.Rendering;
using SweepCluster.Denoising.Tests.Support;

namespace SweepCluster.Denoising.Tests;

[Trait("Category", "Unit")]
public sealed class PanelRendererTests
{
    [Fact]
    public void Png_is_read_by_python_zlib_with_identical_pixels_and_valid_crcs()
    {
        using var temp = new TempDirectory();
        const int width = 13, height = 7;
        byte[] pixels = [.. Enumerable.Range(0, width * height).Select(i => (byte)((i * 37) % 256))];
        PngWriter.WriteGray8(temp.File("p.png"), pixels, width, height);
        File.WriteAllBytes(temp.File("expected.bin"), pixels);

        var output = PythonReference.Run(
            """
            import struct, zlib
            data = open('p.png', 'rb').read()
            assert data[:8] == b'\x89PNG\r\n\x1a\n'
            pos, chunks = 8, []
            while pos < len(data):
                n, = struct.unpack('>I', data[pos:pos + 4]); kind = data[pos + 4:pos + 8]; body = data[pos + 8:pos + 8 + n]
                crc, = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])
                assert crc == zlib.crc32(kind + body) & 0xffffffff, kind
                chunks.append((kind, body)); pos += 12 + n
            assert [k for k, _ in chunks] == [b'IHDR', b'IDAT', b'IEND']
            w, h, depth, colour = struct.unpack('>IIBB', chunks[0][1][:10])
            raw = zlib.decompress(chunks[1][1])
            rows = [raw[r * (w + 1):(r + 1) * (w + 1)] for r in range(h)]
            assert all(row[0] == 0 for row in rows)
            print(w, h, depth, colour, b''.join(row[1:] for row in rows) == open('expected.bin', 'rb').read())
            """,
            temp.Path);

        Assert.Equal("13 7 8 0 True", output.Trim());
    }

    [Fact]
    public void Panel_png_is_read_by_scikit_image_with_the_rendered_pixels()
    {
        using var temp = new TempDirectory();
        float[] ramp = [.. Enumerable.Range(0, 20 * 24).Select(i => (i % 24) / 23f)];
        PanelTile[] tiles =
        [
            PanelTile.Image("noisy A", ramp, 20, 24),
            PanelTile.Image("clean A", [.. ramp.Select(v => 1 - v)], 20, 24),
            PanelTile.Error("error", ramp, new float[ramp.Length], 20, 24),
        ];
        var image = PanelRenderer.Render(tiles, columns: 2);
        image.SavePng(temp.File("panel.png"));
        File.WriteAllBytes(temp.File("expected.bin"), image.Pixels);

        var output = PythonReference.Run(
            """
            import numpy as np
            from skimage.io import imread
            img = imread('panel.png')
            exp = np.frombuffer(open('expected.bin', 'rb').read(), dtype=np.uint8)
            print(img.dtype, img.shape, np.array_equal(img.ravel(), exp))
            """,
            temp.Path);

        Assert.Equal($"uint8 ({image.Height}, {image.Width}) True", output.Trim());
        Assert.True(image.Width >= 2 * 24);
        Assert.Contains(image.Pixels, p => p == 255);
    }

    [Fact]
    public void Tile_values_map_linearly_and_clip()
    {
        Assert.Equal(0, PanelRenderer.ToGray(-0.5, 0, 1));
        Assert.Equal(128, PanelRenderer.ToGray(0.5, 0, 1));
        Assert.Equal(255, PanelRenderer.ToGray(3, 0, 1));
        Assert.Equal(255, PanelRenderer.ToGray(0.2, 0, 0.2));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Assert.Equal(0xCBF43926u, PngWriter.Crc32("123456789"u8));
    }
}
