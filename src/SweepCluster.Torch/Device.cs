using System.Globalization;

namespace SweepCluster.Torch;

/// <summary>A device: the CPU or one CUDA GPU.</summary>
public readonly record struct Device(DeviceType Type, int Index = 0)
{
    public static Device Cpu { get; } = new(DeviceType.Cpu);

    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <summary>Parses <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public static Device Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu")
        {
            return Cpu;
        }

        if (value == "cuda")
        {
            return Cuda();
        }

        if (value.StartsWith("cuda:", StringComparison.Ordinal) &&
            int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return Cuda(index);
        }

        throw new FormatException($"'{text}' is not a device: use cpu, cuda or cuda:N.");
    }

    public override string ToString() => Type == DeviceType.Cpu ? "cpu" : $"cuda:{Index}";
}
