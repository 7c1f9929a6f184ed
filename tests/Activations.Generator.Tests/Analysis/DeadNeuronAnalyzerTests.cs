using Microsoft.CodeAnalysis.Diagnostics;
using static Activations.Generator.Tests.Analysis.Verifiers;

namespace Activations.Generator.Tests.Analysis;

/// <summary>ACT001 is decided from the derivative, so every spelling of a dead zone is caught and nothing else.</summary>
public class DeadNeuronAnalyzerTests
{
    [Theory]
    [InlineData("[Activation] public static float {|#0:Relu|}(float z) => MathF.Max(0f, z);", "for every z ≤ 0")]
    [InlineData("[Activation] public static float {|#0:Relu|}(float z) => MathF.Max(z, 0f);", "for every z ≤ 0")]
    [InlineData("[Activation] public static float {|#0:Relu|}(float z) => z > 0f ? z : 0f;", "for every z ≤ 0")]
    [InlineData("[Activation] public static float {|#0:Relu|}(float z) { if (z < 0f) return 0f; return z; }", "for every z ≤ 0")]
    [InlineData("[Activation] public static float {|#0:Relu|}(float z) => 0.5f * (z + MathF.Abs(z));", "for every z ≤ 0")]
    [InlineData("[Activation] public static double {|#0:Relu|}(double x) => Math.Max(0.0, x);", "for every x ≤ 0")]
    [InlineData("[Activation] public static float {|#0:Relu6|}(float z) => MathF.Min(MathF.Max(0f, z), 6f);", "for z ≤ 0 and z ≥ 6")]
    [InlineData("[Activation] public static float {|#0:HardTanh|}(float z) => Math.Clamp(z, -1f, 1f);", "for z ≤ −1 and z ≥ 1")]
    [InlineData("[Activation] public static double {|#0:HardSigmoid|}(double z) => Math.Clamp(z / 6 + 0.5, 0, 1);", "for z ≤ −3 and z ≥ 3")]
    [InlineData("[Activation] public static float {|#0:Step|}(float z) => z > 1f ? 1f : 0f;", "for every z")]
    // The range comes from the derivative's own breakpoints, not the outermost one: after its leaky fix, ReLU6's
    // derivative still has a breakpoint at 600 (from 0.01·z < 6 on a branch never taken there).
    [InlineData("[Activation] public static float {|#0:Relu6|}(float z) => MathF.Min(MathF.Max(0.01f * z, z), 6f);", "for every z ≥ 6")]
    [InlineData("[Activation] public static float {|#0:Relu6|}(float z) => MathF.Min(MathF.Max(z, 0.01f * z), 6f);", "for every z ≥ 6")]
    [InlineData("[Activation] public static float {|#0:Relu6|}(float z) => z < 0f ? 0.01f * z : z > 6f ? 6f : z;", "for every z ≥ 6")]
    [InlineData("[Activation] public static float {|#0:Relu6|}(float z) => Math.Clamp(z, 0f, 6f);", "for z ≤ 0 and z ≥ 6")]
    [InlineData("[Activation] public static float {|#0:Relu6|}(float z) { if (z <= 0f) return 0f; if (z >= 6f) return 6f; return z; }", "for z ≤ 0 and z ≥ 6")]
    [InlineData("[Activation] public static float {|#0:HardSwish|}(float z) => z * Math.Clamp(z + 3f, 0f, 6f) / 6f;", "for every z ≤ −3")]
    [InlineData("[Activation] public static float {|#0:Capped|}(float z) => MathF.Min(MathF.Max(0.5f * z, z), 2f);", "for every z ≥ 2")]
    public async Task Dead_zones_are_reported_with_where_the_gradient_vanishes(string method, string where)
    {
        string name = method.Split("{|#0:")[1].Split('|')[0];
        string variable = method.Contains("double x") ? "x" : "z";
        var expected = Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerWarning("ACT001").WithLocation(0).WithArguments(name, where, "0.01·" + variable);
        var test = AnalyzerTest("public static partial class Act\n{\n    " + method + "\n}\n");
        test.ExpectedDiagnostics.Add(expected);
        await test.RunAsync();
    }

    [Theory]
    [InlineData("[Activation] public static float LeakyRelu(float z) => z > 0f ? z : 0.01f * z;")]
    [InlineData("[Activation] public static float Elu(float z) => z > 0f ? z : MathF.Exp(z) - 1f;")]
    [InlineData("[Activation] public static float Selu(float z) => 1.0507f * (z > 0f ? z : 1.6733f * (MathF.Exp(z) - 1f));")]
    [InlineData("[Activation] public static float Softplus(float z) => z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z));")]
    [InlineData("[Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));\n[Activation] public static float Swish(float z) => z * Sigmoid(z);")]
    [InlineData("[Activation] public static float Gelu(float z) => 0.5f * z * (1f + MathF.Tanh(0.7978845608f * (z + 0.044715f * z * z * z)));")]
    [InlineData("[Activation] public static float Mish(float z) => z * MathF.Tanh(MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z))));")]
    [InlineData("[Activation] public static float Tanh(float z) => MathF.Tanh(z);")]
    [InlineData("[Activation] public static float Softsign(float z) => z / (1f + MathF.Abs(z));")]
    [InlineData("[Activation] public static float Cube(float z) => z * z * z;")]
    [InlineData("[Activation] public static float Gaussian(float z) => MathF.Exp(-z * z);")]
    [InlineData("[Activation] public static float Sine(float z) => MathF.Sin(z);")]
    [InlineData("[Activation] public static float PRelu(float z, float slope) => z > 0f ? z : slope * z;")]
    [InlineData("[Activation] public static float Abs(float z) => MathF.Abs(z);")]
    public async Task No_alarm_where_the_gradient_vanishes_only_at_a_point_or_in_the_limit(string methods) =>
        await VerifyAnalyzerAsync("public static partial class Act\n{\n" + methods + "\n}\n");

    [Fact]
    public async Task A_method_the_generator_cannot_parse_gets_no_ACT001()
    {
        // MathF.Round is ACT102, reported by the generator; the analyzer says nothing about its gradient.
        await VerifyAnalyzerAsync("public static partial class Act\n{\n    [Activation] public static float Bad(float z) => MathF.Max(0f, MathF.Round(z));\n}\n");
    }

    [Fact]
    public async Task Shape_problems_are_reported_while_typing()
    {
        await VerifyAnalyzerAsync("""
            public static class {|ACT106:Plain|}
            {
                [Activation] public static float Identity(float z) => z;
            }

            public partial class Shapes
            {
                [Activation] public float {|ACT104:Instance|}(float z) => z;
                [Activation] public static float Mixed(float z, {|ACT105:int n|}) => z * n;
                [Activation] public static {|ACT105:int|} Integer(int z) => z;
                [Activation] public static float {|ACT104:Generic|}<T>(float z) => z;
                [Activation] public static float ByRef({|ACT105:ref float z|}) => z;
                [Activation] public static float Out(float z, {|ACT105:out float w|}) { w = 0f; return z; }
                [Activation] public static float Wider(float z, {|ACT105:double w|}) => z;
            }

            public class {|ACT106:Outer|}
            {
                public static partial class Inner
                {
                    [Activation] public static float Identity(float z) => z;
                }
            }
            """);
    }

    [Fact]
    public async Task ACT001_is_reported_when_the_generated_members_are_already_in_the_compilation()
    {
        // The compiler runs analyzers on the compilation with generator output: ReluDerivative exists then.
        var run = Infrastructure.GeneratorHarness.Run("""
            using System;
            using Activations;
            public static partial class Act { [Activation] public static float Relu(float z) => MathF.Max(0f, z); }
            """);
        Assert.Contains(run.Sources, s => s.HintName.Contains("Act.Relu."));
        var diagnostics = await run.Output
            .WithAnalyzers(System.Collections.Immutable.ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new Activations.Generator.Analysis.ActivationAnalyzer()))
            .GetAllDiagnosticsAsync();
        Assert.Single(diagnostics, d => d.Id == "ACT001");
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }
}
