using System.Reflection;
using System.Text;

namespace Activations.Generator.Tests.Infrastructure;

/// <summary>
/// Span kernels cannot be called through reflection (spans cannot be boxed), so the tests compile a small
/// driver next to the catalogue that takes arrays and calls each kernel, in place or not.
/// </summary>
public static class KernelDriver
{
    public const string TypeName = "Catalogue.KernelDriver";

    /// <summary>
    /// Kernels: Forward, Derivative, Backward, BackwardFromOutput. The spans start <c>offset</c> elements into
    /// their arrays, so every alignment of the destination can be reached. With a <c>gap</c> of 0 or more,
    /// input, gradOutput and destination are slices of one array in that order, <c>gap</c> elements apart, so
    /// the distances between them are fixed (the loops choose their direction by them).
    /// </summary>
    public static string Source(IEnumerable<CatalogueEntry> entries)
    {
        var sb = new StringBuilder();
        sb.AppendLine("namespace Catalogue;");
        sb.AppendLine("public static class KernelDriver");
        sb.AppendLine("{");
        sb.AppendLine("    public static double[] Run(string name, string kernel, double[] input, double[] gradOutput, double[] hyper, bool inPlace, int offset, int gap)");
        sb.AppendLine("    {");
        sb.AppendLine("        switch (name + \"/\" + kernel)");
        sb.AppendLine("        {");
        foreach (var e in entries)
        {
            string T = e.IsDouble ? "double" : "float";
            string extra = string.Concat(Enumerable.Range(0, e.Hyperparameters?.Length ?? 0).Select(i => $", ({T})hyper[{i}]"));
            string back = e.IsDouble ? "d.ToArray()" : "System.Array.ConvertAll(d.ToArray(), v => (double)v)";
            foreach (var (kernel, call) in new[]
            {
                ("Forward", $"Act.{e.Name}(x, d{extra})"),
                ("Derivative", $"Act.{e.Name}Derivative(x, d{extra})"),
                ("Backward", $"Act.{e.Name}Backward(x, g, d{extra})"),
                ("BackwardFromOutput", e.ExpectOutputForm ? $"Act.{e.Name}BackwardFromOutput(x, g, d{extra})" : null),
            })
            {
                if (call is null)
                {
                    continue;
                }

                sb.AppendLine($"            case \"{e.Name}/{kernel}\":");
                sb.AppendLine("            {");
                sb.AppendLine("                int n = input.Length;");
                sb.AppendLine($"                {T}[] shared = gap < 0 ? System.Array.Empty<{T}>() : new {T}[offset + 3 * (n + gap)];");
                sb.AppendLine($"                System.Span<{T}> Slice(int k) => gap < 0 ? new System.Span<{T}>(new {T}[offset + n], offset, n) : new System.Span<{T}>(shared, offset + k * (n + gap), n);");
                sb.AppendLine($"                System.Span<{T}> x = Slice(0);");
                sb.AppendLine($"                System.Span<{T}> g = Slice(1);");
                sb.AppendLine($"                for (int i = 0; i < n; i++) {{ x[i] = ({T})input[i]; g[i] = ({T})gradOutput[i]; }}");
                sb.AppendLine($"                System.Span<{T}> d = inPlace ? x : Slice(2);");
                sb.AppendLine($"                {call};");
                sb.AppendLine($"                return {back};");
                sb.AppendLine("            }");
            }
        }

        sb.AppendLine("            default: throw new System.ArgumentException(name + \"/\" + kernel);");
        sb.AppendLine("        }");
        sb.AppendLine("    }");
        sb.AppendLine("}");
        return sb.ToString();
    }

    public static KernelRun Bind(Assembly assembly)
    {
        var method = assembly.GetType(TypeName, throwOnError: true)!.GetMethod("Run")!;
        return (name, kernel, input, grad, hyper, inPlace, offset, gap) =>
        {
            try
            {
                return (double[])method.Invoke(null, new object[] { name, kernel, input, grad, hyper, inPlace, offset, gap })!;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
        };
    }
}

/// <summary>
/// Runs one kernel of one catalogue entry on arrays, the spans starting <paramref name="offset"/> elements in; with
/// a <paramref name="gap"/> of 0 or more, the spans are slices of one array, that many elements apart.
/// </summary>
public delegate double[] KernelRun(string name, string kernel, double[] input, double[] gradOutput, double[] hyper, bool inPlace, int offset = 0, int gap = -1);

/// <summary>Distances in units in the last place, in the precision of the activation.</summary>
public static class Ulp
{
    public static double Distance(double a, double b, bool isDouble)
    {
        if (double.IsNaN(a) || double.IsNaN(b))
        {
            return double.IsNaN(a) && double.IsNaN(b) ? 0 : double.PositiveInfinity;
        }

        if (a == b)
        {
            return 0; // also +0 and −0
        }

        if (isDouble)
        {
            long ia = Ordered(BitConverter.DoubleToInt64Bits(a));
            long ib = Ordered(BitConverter.DoubleToInt64Bits(b));
            return Math.Abs((double)ia - ib);
        }

        int fa = Ordered(BitConverter.SingleToInt32Bits((float)a));
        int fb = Ordered(BitConverter.SingleToInt32Bits((float)b));
        return Math.Abs((double)fa - fb);
    }

    /// <summary>The error of <paramref name="actual"/> against an exact <paramref name="reference"/>, in ULPs of the reference.</summary>
    public static double Error(double actual, double reference, bool isDouble)
    {
        if (double.IsNaN(actual) || double.IsNaN(reference))
        {
            return double.IsNaN(actual) && double.IsNaN(reference) ? 0 : double.PositiveInfinity;
        }

        if (double.IsInfinity(reference) || double.IsInfinity(actual))
        {
            return actual == reference ? 0 : double.PositiveInfinity;
        }

        double ulp = isDouble ? Math.BitIncrement(Math.Abs(reference)) - Math.Abs(reference) : MathF.BitIncrement(Math.Abs((float)reference)) - Math.Abs((float)reference);
        return Math.Abs(actual - reference) / ulp;
    }

    private static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    private static int Ordered(int bits) => bits < 0 ? int.MinValue - bits : bits;
}
