namespace Activations.Generator.Tests.Infrastructure;

/// <summary>One catalogue activation: its C# source and its derivative derived by hand, in double.</summary>
public sealed record CatalogueEntry(
    string Name,
    string Source,
    Func<double, double> Forward,
    Func<double, double> Derivative,
    bool ExpectOutputForm,
    bool IsDouble = false,
    double[]? Hyperparameters = null);

/// <summary>
/// The activations every test runs over. References are written independently of the generator:
/// the closed forms from the literature, evaluated in double with stable formulas.
/// </summary>
public static class Catalogue
{
    public const string TypeName = "Catalogue.Act";

    private const double SeluScale = 1.0507009873554805;
    private const double SeluAlpha = 1.6732632423543772;
    private static readonly double GeluC = Math.Sqrt(2 / Math.PI);

    public static readonly CatalogueEntry[] Entries =
    {
        new("Sigmoid", "[Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));",
            Sigmoid, z => Sigmoid(z) * (1 - Sigmoid(z)), true),
        new("Tanh", "[Activation] public static float Tanh(float z) => MathF.Tanh(z);",
            Math.Tanh, z => 1 - Math.Tanh(z) * Math.Tanh(z), true),
        new("Relu", "[Activation] public static float Relu(float z) => MathF.Max(0f, z);",
            z => Math.Max(0, z), z => z > 0 ? 1 : 0, true),
        new("LeakyRelu", "[Activation] public static float LeakyRelu(float z) => z > 0f ? z : 0.01f * z;",
            z => z > 0 ? z : 0.01f * z, z => z > 0 ? 1 : 0.01f, true),
        new("Elu", "[Activation] public static float Elu(float z) => z > 0f ? z : MathF.Exp(z) - 1f;",
            z => z > 0 ? z : Math.Exp(z) - 1, z => z > 0 ? 1 : Math.Exp(z), true),
        new("Selu", """
            private const float SeluScale = 1.0507009873554805f;
            private const float SeluAlpha = 1.6732632423543772f;
            [Activation] public static float Selu(float z) => SeluScale * (z > 0f ? z : SeluAlpha * (MathF.Exp(z) - 1f));
            """,
            z => SeluScale * (z > 0 ? z : SeluAlpha * (Math.Exp(z) - 1)),
            z => z >= 0 ? (float)SeluScale : (float)SeluScale * (float)SeluAlpha * Math.Exp(z), true),
        new("Softplus", "[Activation] public static float Softplus(float z) => MathF.Log(1f + MathF.Exp(z));",
            Softplus, Sigmoid, true),
        new("Swish", "[Activation] public static float Swish(float z) => z * Sigmoid(z);",
            z => z * Sigmoid(z), z => Sigmoid(z) + z * Sigmoid(z) * (1 - Sigmoid(z)), false),
        new("Gelu", "[Activation] public static float Gelu(float z) => 0.5f * z * (1f + MathF.Tanh(0.7978845608f * (z + 0.044715f * z * z * z)));",
            z => 0.5 * z * (1 + Math.Tanh(GeluC * (z + 0.044715 * z * z * z))),
            z =>
            {
                double t = Math.Tanh(GeluC * (z + 0.044715 * z * z * z));
                return 0.5 * (1 + t) + 0.5 * z * (1 - t) * (1 + t) * GeluC * (1 + 3 * 0.044715 * z * z);
            },
            false),
        new("Mish", "[Activation] public static float Mish(float z) => z * MathF.Tanh(MathF.Log(1f + MathF.Exp(z)));",
            z => z * Math.Tanh(Softplus(z)),
            z =>
            {
                double t = Math.Tanh(Softplus(z));
                return t + z * (1 - t) * (1 + t) * Sigmoid(z);
            },
            false),
        new("Softsign", "[Activation] public static float Softsign(float z) => z / (1f + MathF.Abs(z));",
            z => z / (1 + Math.Abs(z)), z => 1 / ((1 + Math.Abs(z)) * (1 + Math.Abs(z))), true),
        new("HardTanh", "[Activation] public static float HardTanh(float z) => Math.Clamp(z, -1f, 1f);",
            z => Math.Clamp(z, -1, 1), z => Math.Abs(z) < 1 ? 1 : 0, true),
        new("HardSigmoid", "[Activation] public static float HardSigmoid(float z) => Math.Clamp(z / 6f + 0.5f, 0f, 1f);",
            z => Math.Clamp(z / 6 + 0.5, 0, 1), z => Math.Abs(z) < 3 ? 1.0 / 6 : 0, true),
        new("Relu6", "[Activation] public static float Relu6(float z) => MathF.Min(MathF.Max(0f, z), 6f);",
            z => Math.Min(Math.Max(0, z), 6), z => z > 0 && z < 6 ? 1 : 0, true),
        new("SigmoidBlock", """
            [Activation]
            public static float SigmoidBlock(float z)
            {
                float e = MathF.Exp(-z);
                float denominator = 1f + e;
                return 1f / denominator;
            }
            """,
            Sigmoid, z => Sigmoid(z) * (1 - Sigmoid(z)), true),
        new("SigmoidDouble", "[Activation] public static double SigmoidDouble(double z) => 1.0 / (1.0 + Math.Exp(-z));",
            Sigmoid, z => Sigmoid(z) * (1 - Sigmoid(z)), true, IsDouble: true),
        new("EluAlpha", "[Activation] public static float EluAlpha(float z, float alpha) => z > 0f ? z : alpha * (MathF.Exp(z) - 1f);",
            z => z > 0 ? z : 0.5 * (Math.Exp(z) - 1), z => z > 0 ? 1 : 0.5 * Math.Exp(z), false, Hyperparameters: new[] { 0.5 }),
    };

    /// <summary>All entries in one partial class, as a user project would hold them.</summary>
    public static string Source => $$"""
        using System;
        using Activations;

        namespace Catalogue;

        public static partial class Act
        {
        {{string.Join("\n\n", Entries.Select(e => Indent(e.Source)))}}
        }
        """;

    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    /// <summary>
    /// max(z, 0) + ln(1 + e^(−|z|)), the logarithm taken as ln v · u/(v − 1) with v = 1 + u rounded: Math.Log(1 + u)
    /// alone loses u's digits for small u, and was half of the true value at z = −36.7, which made the kernels'
    /// tails look 4e6 ULP off.
    /// </summary>
    public static double Softplus(double z)
    {
        double u = Math.Exp(-Math.Abs(z));
        double v = 1 + u;
        return Math.Max(z, 0) + (v == 1 ? u : Math.Log(v) * u / (v - 1));
    }

    private static string Indent(string source) => string.Join("\n", source.Split('\n').Select(l => "    " + l.TrimEnd()));

    /// <summary>≥ 200 points: a fine grid, the tails, and the points where float overflows.</summary>
    public static IReadOnlyList<double> Points()
    {
        var points = new List<double>();
        for (int i = -160; i <= 160; i++)
        {
            points.Add(i / 16.0);
        }

        foreach (double special in new[] { 0.013, 1, 3, 6, 20, 50, 88.5, 89, 100, 500, 709, 710, 1000, 1e-7, 1e5 })
        {
            points.Add(special);
            points.Add(-special);
        }

        return points;
    }
}
