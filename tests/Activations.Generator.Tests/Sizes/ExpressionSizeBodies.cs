namespace Activations.Generator.Tests.Sizes;

/// <summary>
/// Bodies that used to make generated code grow exponentially: nested Abs/Sign/Max inside polynomials and
/// rationals (the Abramowitz–Stegun erf, an exact GELU that calls it, a Padé activation) and a block body
/// with many locals. Shared by the size tests and the generator benchmarks (linked into that project).
/// </summary>
public static class ExpressionSizeBodies
{
    public static readonly string[] Names = { "Identity", "Erf", "GeluExact", "Pade", "NestedAbs", "TwentyLocals" };

    /// <summary>The smallest activation: what every method costs whatever its body (the benchmarks' reference).</summary>
    public const string Identity = "[Activation] public static double Identity(double z) => z;";

    public const string Erf = """
        [Activation]
        public static double Erf(double x)
        {
            const double a1 = 0.254829592, a2 = -0.284496736, a3 = 1.421413741, a4 = -1.453152027, a5 = 1.061405429, p = 0.3275911;
            double sign = Math.Sign(x);
            double ax = Math.Abs(x);
            double t = 1.0 / (1.0 + p * ax);
            double y = 1.0 - ((((a5 * t + a4) * t + a3) * t + a2) * t + a1) * t * Math.Exp(-ax * ax);
            return sign * y;
        }
        """;

    public const string GeluExact = "[Activation] public static double GeluExact(double z) => 0.5 * z * (1.0 + Erf(z / Math.Sqrt(2.0)));";

    public const string Pade = """
        [Activation]
        public static double Pade(double z)
        {
            double n = 0.02 + z * (0.5 + z * (0.3 + z * (0.05 + z * (0.004 + z * 0.0002))));
            double d = 1.0 + Math.Abs(z * (0.1 + z * (0.02 + z * (0.003 + z * 0.0001))));
            return n / d;
        }
        """;

    public const string NestedAbs = "[Activation] public static double NestedAbs(double z) => Math.Abs(Math.Abs(z - 1.0) - Math.Abs(z + 1.0)) * Math.Max(z, 0.5 * z) + Math.Abs(z * z * z - 2.0 * Math.Abs(z));";

    /// <summary>A block body of <paramref name="count"/> locals, each building on the one before.</summary>
    public static string Locals(int count)
    {
        var body = new System.Text.StringBuilder("[Activation]\npublic static double TwentyLocals(double z)\n{\n    double v0 = z;\n");
        for (int i = 1; i <= count; i++)
        {
            string step = (i % 4) switch
            {
                0 => $"Math.Abs(v{i - 1}) * 0.5 + 0.1 * z",
                1 => $"v{i - 1} * 0.9 + 0.05 * v{i - 1} * v{i - 1} / (1.0 + v{i - 1} * v{i - 1})",
                2 => $"Math.Max(v{i - 1}, 0.2 * v{i - 1}) - 0.01",
                _ => $"Math.Tanh(v{i - 1}) + 0.3 * v{i - 1}",
            };
            body.Append($"    double v{i} = {step};\n");
        }

        return body.Append($"    return v{count};\n}}\n").ToString();
    }

    /// <summary>The method's own source text, what the size budget is measured against.</summary>
    public static string Body(string name) => name switch
    {
        "Identity" => Identity,
        "Erf" => Erf,
        "GeluExact" => GeluExact,
        "Pade" => Pade,
        "NestedAbs" => NestedAbs,
        "TwentyLocals" => Locals(20),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not one of " + string.Join(", ", Names)),
    };

    /// <summary>A file with the body (the exact GELU brings the erf it calls), optionally without [Activation].</summary>
    public static string Source(string name, bool generate = true)
    {
        string bodies = name == "GeluExact" ? Erf + "\n" + GeluExact : Body(name);
        return Wrap(generate ? bodies : bodies.Replace("[Activation]", string.Empty));
    }

    public static string Wrap(string bodies) =>
        "using System;\nusing Activations;\nnamespace Sizes;\npublic static partial class Act\n{\n" + bodies + "\n}\n";
}
