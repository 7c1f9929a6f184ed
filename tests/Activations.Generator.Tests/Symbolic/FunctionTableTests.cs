using Activations.Generator.Calculus;
using Activations.Generator.Symbolic;
using Activations.Generator.Tests.Infrastructure;
using static Activations.Generator.Symbolic.Algebra;

namespace Activations.Generator.Tests.Symbolic;

/// <summary>
/// One row of <see cref="MathFunctions"/> per elementary function: every row's derivative, inverse and parity
/// agree with its own value, and a function added by its row alone (Asinh) works end to end.
/// </summary>
public class FunctionTableTests
{
    private static readonly double[] Points = { -3.5, -1.25, -0.4, 0.3, 0.9, 2.2, 6.0 };

    public static TheoryData<string> Functions => new(MathFunctions.All.Select(f => f.Function.ToString()));

    [Theory]
    [MemberData(nameof(Functions))]
    public void The_rows_derivative_is_the_slope_of_its_value(string name)
    {
        var function = Enum.Parse<MathFunction>(name);
        var info = MathFunctions.Of(function);
        var derivative = Differentiator.Differentiate(Apply(function, Z));
        var evaluator = new Evaluator(ActivationLibrary.Empty);
        foreach (double u in InDomain(info))
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(u));
            double central = (info.Evaluate(u + h) - info.Evaluate(u - h)) / (2 * h);
            double actual = evaluator.Evaluate(derivative, u, Array.Empty<double>());
            Assert.True(Math.Abs(actual - central) <= 1e-6 * Math.Max(1, Math.Abs(central)), $"{function}′({u}) = {actual}, central difference {central}");
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void The_rows_inverse_undoes_it_and_its_parity_holds(string name)
    {
        var info = MathFunctions.Of(Enum.Parse<MathFunction>(name));
        var evaluator = new Evaluator(ActivationLibrary.Empty);
        foreach (double u in InDomain(info))
        {
            if (info.Inverse is { } inverse)
            {
                double back = evaluator.Evaluate(inverse(Num(info.Evaluate(u))), 0, Array.Empty<double>());
                Assert.Equal(u, back, 9);
            }

            switch (info.Parity)
            {
                case Parity.Odd:
                    Assert.Equal(-info.Evaluate(u), info.Evaluate(-u), 12);
                    break;
                case Parity.Even:
                    Assert.Equal(info.Evaluate(u), info.Evaluate(-u), 12);
                    break;
            }
        }
    }

    [Fact]
    public void Asinh_added_by_its_row_alone_parses_differentiates_and_runs_from_minus_to_plus_1000()
    {
        const string source = """
            using System;
            using Activations;
            namespace Functions;
            public static partial class Act
            {
                [Activation] public static float Asinh(float z) => MathF.Asinh(z);
                [Activation] public static double ScaledAsinh(double z) => z + 0.5 * Math.Asinh(2.0 * z);
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);

        // The row's inverse gives the output form: g′ = 1/√(1 + sinh(y)²).
        Assert.Contains("AsinhDerivativeFromOutput", run.Source("Act.Asinh."), StringComparison.Ordinal);
        using var loaded = run.Load();
        var asinh = loaded.Method("Functions.Act", "AsinhDerivative", 1);
        var scaled = loaded.Method("Functions.Act", "ScaledAsinhDerivative", 1);
        var forward = loaded.Method("Functions.Act", "Asinh", 1);
        var fromOutput = loaded.Method("Functions.Act", "AsinhDerivativeFromOutput", 1);
        foreach (double z in new[] { -1000, -100, -7.5, -1, -0.01, 0, 0.25, 3, 100, 1000 })
        {
            double expected = 1 / Math.Sqrt(1 + z * z);
            Assert.Equal(expected, asinh(new[] { z }), Math.Max(1e-7, expected * 1e-6));
            Assert.Equal(1 + 1 / Math.Sqrt(1 + 4 * z * z), scaled(new[] { z }), 12);
            Assert.Equal(expected, fromOutput(new[] { forward(new[] { z }) }), Math.Max(1e-6, expected * 1e-5));
        }
    }

    [Fact]
    public void Log1P_added_by_its_row_and_its_vector_function_parses_as_LogP1_and_runs_from_minus_to_plus_1000()
    {
        // float.LogP1/double.LogP1 (generic math) is the spelling; the scalar derivative is 1/(1 + u)·u′ and the
        // kernels call the runtime's VectorMath.Log1P.
        const string source = """
            using System;
            using Activations;
            namespace Functions;
            public static partial class Act
            {
                [Activation] public static float LogCosh(float z) => MathF.Abs(z) + float.LogP1(MathF.Exp(-2f * MathF.Abs(z))) - 0.6931472f;
                [Activation] public static double Softplus(double z) => Math.Max(z, 0) + double.LogP1(Math.Exp(-Math.Abs(z)));
            }
            """;
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Contains("VectorMath.Log1P(", run.Source("Act.LogCosh."), StringComparison.Ordinal);

        using var loaded = run.Load();
        var logCoshDerivative = loaded.Method("Functions.Act", "LogCoshDerivative", 1);
        var softplusDerivative = loaded.Method("Functions.Act", "SoftplusDerivative", 1);
        var logCoshSpan = loaded.Span<SpanMap<float>>("Functions.Act", "LogCosh");
        float[] zs = { -1000, -100, -7.5f, -1, -0.01f, 0.25f, 3, 100, 1000 };
        float[] values = new float[zs.Length];
        logCoshSpan(zs, values);
        for (int i = 0; i < zs.Length; i++)
        {
            double z = zs[i];
            Assert.Equal(Math.Tanh(z), logCoshDerivative(new[] { z }), 6);
            Assert.Equal(1 / (1 + Math.Exp(-z)), softplusDerivative(new[] { z }), 12);
            double logCosh = Math.Abs(z) + Math.Log(1 + Math.Exp(-2 * Math.Abs(z))) - Math.Log(2);
            // The body's |z| + … − ln 2 cancels near 0 however it is computed: held to the terms' absolute accuracy.
            Assert.True(Math.Abs(values[i] - logCosh) <= 4e-7 * Math.Max(1, Math.Abs(z)), $"LogCosh({z}) kernel {values[i]}, exact {logCosh}");
        }
    }

    [Fact]
    public void The_unsupported_call_message_lists_the_tables_functions()
    {
        foreach (var info in MathFunctions.All.Where(f => f.CSharpName is not null))
        {
            Assert.Contains(info.CSharpName!, Parsing.SupportedCalls.List, StringComparison.Ordinal);
        }
    }

    /// <summary>The points where f is defined: above the start of its increasing range (Log: 0, Log1P: −1).</summary>
    private static IEnumerable<double> InDomain(FunctionInfo info) =>
        Points.Where(p => info.IncreasingFrom is not double from || p > from);
}
