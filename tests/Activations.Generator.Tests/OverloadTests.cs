using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>Overloads of one activation in one class: every generated member and struct has its own name.</summary>
public class OverloadTests
{
    [Fact]
    public void Float_double_and_hyperparameter_overloads_of_one_name_compile_side_by_side_and_run()
    {
        // Tried as a new user would: float and double Mish in one class failed with CS0102 (both had a MishKernel).
        const string source = """
            using System;
            using Activations;
            namespace Overloads;
            public static partial class Act
            {
                [Activation] public static float Mish(float z) => z * MathF.Tanh(MathF.Log(1f + MathF.Exp(z)));
                [Activation] public static double Mish(double z) => z * Math.Tanh(Math.Log(1.0 + Math.Exp(z)));
                [Activation] public static float Elu(float z) => z > 0f ? z : MathF.Exp(z) - 1f;
                [Activation] public static float Elu(float z, float alpha) => z > 0f ? z : alpha * (MathF.Exp(z) - 1f);
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Equal(4, run.Sources.Count);

        using var loaded = run.Load();
        float[] z = { -3f, -0.5f, 0.25f, 2f, 100f };
        float[] floats = new float[z.Length];
        double[] doubles = new double[z.Length];
        float[] elu = new float[z.Length];
        float[] eluAlpha = new float[z.Length];
        loaded.Span<SpanMap<float>>("Overloads.Act", "MishDerivative")(z, floats);
        loaded.Span<SpanMap<double>>("Overloads.Act", "MishDerivative")(z.Select(v => (double)v).ToArray(), doubles);
        loaded.Span<SpanMap<float>>("Overloads.Act", "EluDerivative")(z, elu);
        loaded.Span<SpanMapWith<float>>("Overloads.Act", "EluDerivative")(z, eluAlpha, 0.5f);
        for (int i = 0; i < z.Length; i++)
        {
            double sp = Math.Log(1 + Math.Exp(z[i]));
            double t = Math.Tanh(sp);
            double mish = t + z[i] * (1 - t * t) / (1 + Math.Exp(-z[i]));
            Assert.Equal(mish, floats[i], 5);
            Assert.Equal(mish, doubles[i], 12);
            Assert.Equal(z[i] > 0 ? 1 : Math.Exp(z[i]), elu[i], 6);
            Assert.Equal(z[i] > 0 ? 1 : 0.5 * Math.Exp(z[i]), eluAlpha[i], 6);
        }
    }
}
