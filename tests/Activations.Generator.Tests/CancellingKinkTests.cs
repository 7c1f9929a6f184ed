using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>
/// The kink rule on the whole function (docs/kinks.md): where the one-sided derivatives at a breakpoint agree,
/// the function is differentiable there and that is its derivative, however many kinks its spelling has; only
/// where they differ is the value the smallest-magnitude element of the Clarke interval between them.
/// </summary>
public sealed class CancellingKinkTests : IClassFixture<CancellingKinkTests.Compiled>
{
    private readonly Compiled compiled;

    public CancellingKinkTests(Compiled compiled) => this.compiled = compiled;

    /// <summary>Name, body, breakpoint, derivative there.</summary>
    public static readonly (string Name, string Body, double At, double Slope)[] Cases =
    {
        ("ReluDifference", "MathF.Max(0f, z) - MathF.Max(0f, -z)", 0, 1),
        ("MaxPlusMin", "MathF.Max(z, 0f) + MathF.Min(z, 0f)", 0, 1),
        ("AbsMinusTwoRelu", "MathF.Abs(z) + z - 2f * MathF.Max(z, 0f)", 0, 0),
        ("HalfAbsTrick", "0.5f * (z + MathF.Abs(z)) - MathF.Max(0f, z) + z", 0, 1),
        ("AbsSquared", "MathF.Abs(z) * MathF.Abs(z)", 0, 0),
        ("StableSoftplus", "MathF.Max(z, 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(z)))", 0, 0.5),
        ("BranchSoftplus", "z >= 0f ? z + MathF.Log(1f + MathF.Exp(-z)) : MathF.Log(1f + MathF.Exp(z))", 0, 0.5),
        ("ShiftedCancel", "MathF.Max(z, 2f) + MathF.Min(z, 2f)", 2, 1),
        ("ClampSum", "Math.Clamp(z, -1f, 1f) + MathF.Max(z - 1f, 0f) + MathF.Min(z + 1f, 0f)", 1, 1),
        ("ClampSumBelow", "Math.Clamp(z, -1f, 1f) + MathF.Max(z - 1f, 0f) + MathF.Min(z + 1f, 0f)", -1, 1),
        ("ProductOfKinks", "MathF.Max(z, 0f) * MathF.Min(z, 0f) + z", 0, 1),

        // Kinks that do not cancel keep the rule: the smallest magnitude in the Clarke interval.
        ("Relu", "MathF.Max(0f, z)", 0, 0),
        ("Abs", "MathF.Abs(z)", 0, 0),
        ("Leaky", "MathF.Max(0.1f * z, z)", 0, 0.1),
        ("ShiftedRelu", "MathF.Max(z, 0f) + 0.5f * z", 0, 0.5),
        ("SumOfUnequalKinks", "MathF.Max(z, 0f) + MathF.Max(z, 0f)", 0, 0),
    };

    public static TheoryData<string> Names => new(Cases.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void The_derivative_at_a_breakpoint_follows_the_whole_function(string name)
    {
        var (_, _, at, slope) = Cases.Single(c => c.Name == name);
        double actual = compiled.Derivative(name)(new[] { at });
        Assert.Equal(slope, actual, 6);

        // And it agrees with the function itself where the function is differentiable: central differences.
        var f = compiled.Function(name);
        double h = 1e-3;
        double left = (f(new[] { at }) - f(new[] { at - h })) / h;
        double right = (f(new[] { at + h }) - f(new[] { at })) / h;
        if (Math.Abs(left - right) < 1e-2)
        {
            Assert.Equal((left + right) / 2, actual, 2);
        }
    }

    /// <summary>
    /// Random bodies: a smooth part plus multiples of pieces whose kinks at k cancel (each bracket is
    /// identically 0, written with Max, Min and Abs of u = z − k). Their derivative at k is the smooth part's,
    /// and equals the central difference of the function there; no NaN from a branch that is not taken.
    /// </summary>
    [Fact]
    public void Random_sums_of_cancelling_kinks_have_the_smooth_parts_derivative_at_the_breakpoint()
    {
        var random = new Random(20261203);
        var cases = new List<(string Name, string Body, double At)>();
        string[] smooth = { "{a}f * z", "{a}f * MathF.Tanh(z)", "{a}f * z * z", "{a}f * MathF.Exp(0.5f * z)", "{a}f / (1f + MathF.Exp(-z))" };
        string[] zero =
        {
            "(MathF.Max(z - {k}f, 0f) + MathF.Min(z - {k}f, 0f) - (z - {k}f))",
            "(MathF.Abs(z - {k}f) - MathF.Max(z - {k}f, 0f) - MathF.Max({k}f - z, 0f))",
            "(MathF.Max(z, {k}f) + MathF.Min(z, {k}f) - z - {k}f)",
            "(MathF.Max(z - {k}f, 0f) * MathF.Min(z - {k}f, 0f))",
        };
        for (int i = 0; i < 40; i++)
        {
            string F(double v) => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            double k = Math.Round(random.NextDouble() * 4 - 2, 2);
            string body = smooth[random.Next(smooth.Length)].Replace("{a}", F(random.NextDouble() * 4 - 2));
            for (int j = 0, n = 1 + random.Next(3); j < n; j++)
            {
                body += $" + {F(random.NextDouble() * 6 - 3)}f * " + zero[random.Next(zero.Length)].Replace("{k}", F(k));
            }

            cases.Add(("Random" + i, body.Replace("+ -", "- "), k));
        }

        string members = string.Concat(cases.Select(c => $"    [Activation] public static float {c.Name}(float z) => {c.Body};\n"));
        string source = $"using System;\nusing Activations;\nnamespace RandomKinks;\npublic static partial class Act\n{{\n{members}}}\n";
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        using var assembly = run.Load();
        foreach (var (name, body, at) in cases)
        {
            // In double arithmetic, to keep the difference quotient clean of float rounding.
            var f = assembly.Method("RandomKinks.Act", name, 1);
            double derivative = assembly.Method("RandomKinks.Act", name + "Derivative", 1)(new[] { at });
            double h = 1e-2;
            double central = (f(new[] { at + h }) - f(new[] { at - h })) / (2 * h);
            Assert.True(double.IsFinite(derivative), $"{name} = {body}: g′({at}) = {derivative}");
            Assert.True(Math.Abs(derivative - central) <= 2e-3 * Math.Max(1, Math.Abs(central)), $"{name} = {body}: g′({at}) = {derivative}, central difference {central}");
        }
    }

    public sealed class Compiled : IDisposable
    {
        private readonly LoadedAssembly assembly;

        public Compiled()
        {
            string members = string.Concat(Cases.Select(c => $"    [Activation] public static float {c.Name}(float z) => {c.Body};\n"));
            string source = $"using System;\nusing Activations;\nnamespace Kinks;\npublic static partial class Act\n{{\n{members}}}\n";
            var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
            Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
            assembly = run.Load();
        }

        public Func<double[], double> Derivative(string name) => assembly.Method("Kinks.Act", name + "Derivative", 1);

        public Func<double[], double> Function(string name) => assembly.Method("Kinks.Act", name, 1);

        public void Dispose() => assembly.Dispose();
    }
}
