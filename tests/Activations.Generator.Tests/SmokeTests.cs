using Activations.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Activations.Generator.Tests;

public class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Prints()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using Activations;
            namespace Demo;
            public static partial class Act
            {
                [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
                [Activation] public static float Relu(float z) => MathF.Max(0f, z);
                [Activation] public static float Mish(float z) => z * MathF.Tanh(MathF.Log(1f + MathF.Exp(z)));
                [Activation] public static float Swish(float z) => z * Sigmoid(z);
                [Activation] public static double Elu(double z, double alpha) => z > 0 ? z : alpha * (Math.Exp(z) - 1);
            }
            """);
        foreach (var s in run.Sources) output.WriteLine(s.SourceText.ToString());
        foreach (var d in run.GeneratorDiagnostics.Concat(run.CompilationErrors)) output.WriteLine(d.ToString());
    }
}
