namespace SweepCluster.Denoising.Data;

/// <summary>A rotated ellipse whose radius wobbles smoothly with angle, drawn with a soft (sigmoid) edge.</summary>
internal sealed class SmoothShape
{
    private readonly double _angle;
    private readonly double[] _wobbleAmplitude;
    private readonly double[] _wobblePhase;

    public SmoothShape(double centerX, double centerY, double radiusX, double radiusY, double angle, SplitMix64? rng, double wobble)
    {
        CenterX = centerX;
        CenterY = centerY;
        RadiusX = radiusX;
        RadiusY = radiusY;
        _angle = angle;
        _wobbleAmplitude = new double[4];
        _wobblePhase = new double[4];
        if (rng is not null && wobble > 0)
        {
            for (var k = 0; k < 4; k++)
            {
                _wobbleAmplitude[k] = rng.NextDouble(0, wobble);
                _wobblePhase[k] = rng.NextDouble(0, 2 * Math.PI);
            }
        }
    }

    public double CenterX { get; }

    public double CenterY { get; }

    public double RadiusX { get; }

    public double RadiusY { get; }

    /// <summary>
    /// Soft membership in [0, 1] on an n x n grid over [-1, 1]^2. <paramref name="grow"/> moves the boundary
    /// outwards (negative: inwards) by roughly that distance, which draws concentric layers.
    /// </summary>
    public double[] Membership(int n, double edge, double grow)
    {
        var result = new double[n * n];
        var cos = Math.Cos(_angle);
        var sin = Math.Sin(_angle);
        var scale = Math.Min(RadiusX, RadiusY);
        for (var y = 0; y < n; y++)
        {
            var v = ((((y + 0.5) / n) * 2) - 1) - CenterY;
            for (var x = 0; x < n; x++)
            {
                var u = ((((x + 0.5) / n) * 2) - 1) - CenterX;
                var ru = ((u * cos) + (v * sin)) / RadiusX;
                var rv = ((-u * sin) + (v * cos)) / RadiusY;
                var rho = Math.Sqrt((ru * ru) + (rv * rv));
                var phi = Math.Atan2(rv, ru);
                var boundary = 1.0;
                for (var k = 0; k < _wobbleAmplitude.Length; k++)
                {
                    boundary += _wobbleAmplitude[k] * Math.Cos(((k + 2) * phi) + _wobblePhase[k]);
                }

                // Approximate signed distance (negative inside) in grid units.
                var distance = ((rho - boundary) * scale) - grow;
                var m = 1.0 / (1.0 + Math.Exp(distance / edge));

                // Cut the sigmoid's far tails so a shape leaves pixels well away from it exactly untouched.
                result[(y * n) + x] = m < 1e-6 ? 0 : m > 1 - 1e-6 ? 1 : m;
            }
        }

        return result;
    }
}
