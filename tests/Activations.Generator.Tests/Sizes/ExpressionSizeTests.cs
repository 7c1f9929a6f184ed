using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Activations.Generator.Tests.Sizes;

/// <summary>
/// Generated code grows with the body, not exponentially (issue 20). The time each body takes is measured in
/// the benchmarks (<c>ExpressionSizeBenchmarks</c>); these tests hold the sizes and the derivatives.
/// </summary>
public class ExpressionSizeTests(ITestOutputHelper output)
{
    /// <summary>The budget for the file generated for one method: scalar forms, span kernels and vector forms.</summary>
    private const int MaxCharactersPerMethod = 20_000;

    public static TheoryData<string> BoundedBodies => new() { "Erf", "GeluExact", "Pade", "NestedAbs" };

    [Theory]
    [MemberData(nameof(BoundedBodies))]
    public void Emitted_source_stays_within_budget(string name)
    {
        string generated = Generate(ExpressionSizeBodies.Source(name), name);
        output.WriteLine($"{name}: {generated.Length:N0} characters generated from a body of {ExpressionSizeBodies.Body(name).Length:N0}");
        Assert.True(generated.Length <= MaxCharactersPerMethod, $"{name}: {generated.Length:N0} characters generated, budget {MaxCharactersPerMethod:N0}");
        Assert.DoesNotContain(generated.Split('\n'), line => line.Length > 2_000);
    }

    [Fact]
    public void Twice_the_locals_at_most_doubles_the_generated_source()
    {
        // Each local used to double what followed it: 10 locals gave 5.4 million characters, 20 ran out of memory.
        int ten = Generate(ExpressionSizeBodies.Wrap(ExpressionSizeBodies.Locals(10)), "TwentyLocals").Length;
        int twenty = Generate(ExpressionSizeBodies.Wrap(ExpressionSizeBodies.Locals(20)), "TwentyLocals").Length;
        output.WriteLine($"10 locals: {ten:N0} characters; 20 locals: {twenty:N0}");
        Assert.True(twenty <= 2 * ten, $"10 locals: {ten:N0} characters, 20 locals: {twenty:N0}");
    }

    [Fact]
    public void A_body_too_large_to_differentiate_gets_ACT112_and_the_others_still_generate()
    {
        // 200 locals, each using the one before: about 1,400 distinct nodes, and about 700 k characters if derived.
        string source = ExpressionSizeBodies.Wrap(ExpressionSizeBodies.Locals(200) + "\n" + ExpressionSizeBodies.Erf);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var run = GeneratorHarness.Run(source);
        output.WriteLine($"generator with the 200-local body: {watch.ElapsedMilliseconds} ms");
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("ACT112", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Contains("'TwentyLocals'", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.True(diagnostic.Location.IsInSource);
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains("Act.TwentyLocals.", StringComparison.Ordinal));
        Assert.Contains(run.Sources, s => s.HintName.Contains("Act.Erf.", StringComparison.Ordinal));
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void A_doc_formula_too_long_for_one_line_names_the_method_instead()
    {
        string generated = Generate(ExpressionSizeBodies.Source("Erf"), "Erf");
        var docs = generated.Split('\n').Where(line => line.TrimStart().StartsWith("/// <summary>The derivative of", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(docs);
        Assert.All(docs, line => Assert.True(line.Length <= 400, line));
        Assert.Contains(docs, line => line.Contains("the body of this method is the formula", StringComparison.Ordinal));
    }

    public static TheoryData<string> AllBodies => new() { "Erf", "GeluExact", "Pade", "NestedAbs", "TwentyLocals" };

    [Theory]
    [MemberData(nameof(AllBodies))]
    public void Derivatives_match_central_differences_from_minus_to_plus_1000(string name)
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { ExpressionSizeBodies.Source(name) }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        using var loaded = run.Load();
        var g = loaded.Method("Sizes.Act", name, 1);
        var derivative = loaded.Method("Sizes.Act", name + "Derivative", 1);

        // Away from kinks. 0 is in for the GELU, smooth there however Sign and Abs split its erf. The erf itself
        // jumps by 2·(1 − (a1 + … + a5)) ≈ 2e-9 at 0 (the approximation's own), which a central difference
        // turns into 1e-4; its slope at 0 is checked on its own below.
        var points = new List<double> { -1000, -100, -4.5, -2.25, -0.75, -0.3, 0.2, 0.6, 1.7, 3.1, 100, 1000 };
        if (name == "GeluExact")
        {
            points.Add(0);
        }

        foreach (double z in points)
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(z));
            double central = (g(new[] { z + h }) - g(new[] { z - h })) / (2 * h);
            double actual = derivative(new[] { z });
            Assert.True(double.IsFinite(actual), $"{name}′({z}) = {actual}");
            Assert.True(Math.Abs(actual - central) <= 1e-5 * Math.Max(1, Math.Abs(central)), $"{name}′({z}) = {actual:R}, central difference {central:R}");
        }
    }

    [Fact]
    public void The_erf_derivative_at_zero_is_the_slope_of_both_sides()
    {
        // sign(x)·y(|x|) has a branch for x = 0 alone, whose own slope is 0; the function's is p·P′(1) of the
        // polynomial P(t) = a1·t + … + a5·t⁵, the same from both sides.
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { ExpressionSizeBodies.Source("Erf") }, GeneratorHarness.CurrentRuntime));
        using var loaded = run.Load();
        double expected = 0.3275911 * (0.254829592 + 2 * -0.284496736 + 3 * 1.421413741 + 4 * -1.453152027 + 5 * 1.061405429);
        Assert.Equal(expected, loaded.Method("Sizes.Act", "ErfDerivative", 1)(new[] { 0.0 }), 12);
    }

    [Fact]
    public void The_exact_gelu_derivative_agrees_with_the_chain_rule_through_the_users_erf()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { ExpressionSizeBodies.Source("GeluExact") }, GeneratorHarness.CurrentRuntime));
        using var loaded = run.Load();
        var derivative = loaded.Method("Sizes.Act", "GeluExactDerivative", 1);
        var erf = loaded.Method("Sizes.Act", "Erf", 1);
        var erfDerivative = loaded.Method("Sizes.Act", "ErfDerivative", 1);
        foreach (double z in new[] { -1000, -8, -2, -0.5, 0, 0.1, 1, 3, 1000 })
        {
            // d/dz ½z(1 + E(z/√2)) = ½(1 + E(z/√2)) + ½z·E′(z/√2)/√2.
            double u = z / Math.Sqrt(2);
            double expected = 0.5 * (1 + erf(new[] { u })) + 0.5 * z * erfDerivative(new[] { u }) / Math.Sqrt(2);
            Assert.Equal(expected, derivative(new[] { z }), 12);
        }
    }

    private static string Generate(string source, string name)
    {
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        return run.Source($"Act.{name}.");
    }
}
