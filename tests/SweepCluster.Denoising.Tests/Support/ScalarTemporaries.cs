using System.Reflection;
using System.Reflection.Emit;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepCluster.Denoising.Tests.Support;

/// <summary>
/// Reads compiled code for TorchSharp calls that receive a <see cref="Scalar"/> nothing holds. TorchSharp's own
/// methods are read too: one that converts a number to a Scalar without holding it (<c>Tensor + Tensor</c> passes an
/// int 1 alpha, <c>square()</c> an int 2 exponent, Adam's step its betas), or calls one that does, is unsafe to call;
/// so is creating a module or optimizer whose <c>forward</c> or <c>step</c> is. In the code under test every
/// implicit conversion to Scalar is unsafe: a held Scalar is made with <c>ToScalar()</c> and kept.
/// </summary>
internal static class ScalarTemporaries
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Lazy<(HashSet<string> Methods, HashSet<Type> Types)> Unsafe = new(FindUnsafeTorchSharp);

    /// <summary>One line per offending call in <paramref name="assembly"/>: the calling method and what it calls.</summary>
    public static IReadOnlyList<string> Find(Assembly assembly)
    {
        var (unsafeMethods, unsafeTypes) = Unsafe.Value;
        var findings = new List<string>();
        foreach (var method in Methods(assembly))
        {
            foreach (var (opCode, callee) in Callees(method))
            {
                string? why = null;
                if (IsImplicitScalar(callee))
                {
                    why = $"converts {callee.GetParameters()[0].ParameterType.Name} to a Scalar nothing holds";
                }
                else if (unsafeMethods.Contains(Key(callee)))
                {
                    why = $"calls {Describe(callee)}, which converts to a Scalar it does not hold";
                }
                else if (opCode == OpCodes.Newobj && callee.DeclaringType is { } created && unsafeTypes.Contains(created))
                {
                    why = $"creates a {created.Name}, whose forward or step converts to Scalars it does not hold";
                }
                else if (callee is MethodInfo { ReturnType: var returned } && unsafeTypes.Contains(returned))
                {
                    why = $"gets a {returned.Name} from {Describe(callee)}; its forward or step converts to Scalars it does not hold";
                }

                if (why is not null)
                {
                    findings.Add($"{method.DeclaringType?.FullName}.{method.Name}: {why}");
                }
            }
        }

        return findings;
    }

    private static (HashSet<string>, HashSet<Type>) FindUnsafeTorchSharp()
    {
        var torchSharp = typeof(Scalar).Assembly;
        var calls = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var method in Methods(torchSharp))
        {
            calls[Key(method)] = [.. Callees(method).Select(c => IsImplicitScalar(c.Callee) ? ImplicitScalar : Key(c.Callee)).Distinct()];
        }

        var unsafeMethods = new HashSet<string>(StringComparer.Ordinal) { ImplicitScalar };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (method, callees) in calls)
            {
                if (!unsafeMethods.Contains(method) && callees.Any(unsafeMethods.Contains))
                {
                    unsafeMethods.Add(method);
                    changed = true;
                }
            }
        }

        // Making a Scalar to hand out is what ToScalar() is for; the caller holds it.
        unsafeMethods.RemoveWhere(k => k.StartsWith("TorchSharp.Scalar::", StringComparison.Ordinal) || k.Contains("::ToScalar(", StringComparison.Ordinal));
        var unsafeTypes = Types(torchSharp)
            .Where(t => !t.IsAbstract && (typeof(nn.Module).IsAssignableFrom(t) || typeof(optim.Optimizer).IsAssignableFrom(t)))
            .Where(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Any(m => m.Name is "forward" or "step" && unsafeMethods.Contains(Key(m))))
            .ToHashSet();
        return (unsafeMethods, unsafeTypes);
    }

    private const string ImplicitScalar = "implicit Scalar";

    private static bool IsImplicitScalar(MethodBase method) => method.DeclaringType == typeof(Scalar) && method.Name == "op_Implicit";

    private static string Key(MethodBase method) =>
        $"{method.DeclaringType?.FullName}::{method.Name}({string.Join(",", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private static string Describe(MethodBase method) =>
        $"{method.DeclaringType?.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";

    private static Type[] Types(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return [.. e.Types.OfType<Type>()];
        }
    }

    private static IEnumerable<MethodBase> Methods(Assembly assembly) =>
        Types(assembly).SelectMany(t => t.GetMethods(Declared).Cast<MethodBase>().Concat(t.GetConstructors(Declared)));

    /// <summary>Every method a body calls, creates or takes a delegate to (a lambda's body counts as its creator's).</summary>
    private static List<(OpCode OpCode, MethodBase Callee)> Callees(MethodBase method)
    {
        var result = new List<(OpCode, MethodBase)>();
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return result;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var opCode = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += opCode.Size;
            if (opCode.OperandType == OperandType.InlineMethod)
            {
                try
                {
                    if (method.Module.ResolveMethod(BitConverter.ToInt32(il, i), typeArguments, methodArguments) is { } callee)
                    {
                        result.Add((opCode, callee));
                    }
                }
                catch (Exception e) when (e is ArgumentException or TypeLoadException or MissingMemberException or IOException or BadImageFormatException)
                {
                    // A member of an assembly that is not loaded here (TorchSharp's optional dependencies): not a Scalar call.
                }
            }

            i += opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                _ => 4,
            };
        }

        return result;
    }
}
