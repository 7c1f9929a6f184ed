using System.Collections;
using System.Reflection;
using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Activations.Generator.Tests;

/// <summary>The pipeline caches: unrelated edits reuse every step, body edits re-run only what they touch.</summary>
public class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    {
        StepNames.Parse, StepNames.ResolveCallees, StepNames.Derive, StepNames.Source, StepNames.Diagnostics,
    };

    private const string Activations = """
        using System;
        using Activations;

        public static partial class Act
        {
            [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));
            [Activation] public static float Swish(float z) => z * Sigmoid(z);
            [Activation] public static float Relu(float z) => MathF.Max(0f, z);
        }
        """;

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached_or_unchanged()
    {
        var (second, _) = RunTwice(Activations, compilation =>
            compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Unrelated { public int X => 42; }", GeneratorHarness.ParseOptions)));

        foreach (string step in TrackedSteps)
        {
            var reasons = Reasons(second, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void Editing_one_body_modifies_only_that_activations_output()
    {
        var (second, _) = RunTwice(Activations, compilation =>
        {
            var tree = compilation.SyntaxTrees.Single();
            var edited = tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(tree.GetText().ToString().Replace("MathF.Max(0f, z)", "MathF.Max(0.01f * z, z)")));
            return compilation.ReplaceSyntaxTree(tree, edited);
        });

        var derive = Reasons(second, StepNames.Derive);
        Assert.Equal(1, derive.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(2, derive.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        Assert.Equal(1, Reasons(second, StepNames.Source).Count(r => r == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void Pipeline_values_hold_no_symbols_syntax_compilations_or_locations()
    {
        var run = GeneratorHarness.Run(Activations);
        var forbidden = new[] { typeof(ISymbol), typeof(SyntaxNode), typeof(Compilation), typeof(Location), typeof(SemanticModel), typeof(SyntaxTree) };
        int walked = 0;
        foreach (var step in run.Result.Results.Single().TrackedSteps.Where(s => TrackedSteps.Contains(s.Key)))
        {
            foreach (var output in step.Value.SelectMany(s => s.Outputs))
            {
                Walk(output.Value, new HashSet<object>(ReferenceEqualityComparer.Instance));
                walked++;
            }
        }

        Assert.True(walked >= 10, "the walk found too few values to mean anything");

        void Walk(object? value, HashSet<object> seen)
        {
            if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
            {
                return;
            }

            var type = value.GetType();
            Assert.False(forbidden.Any(f => f.IsAssignableFrom(type)), $"pipeline value holds a {type}");
            if (value is IEnumerable sequence)
            {
                foreach (var item in sequence)
                {
                    Walk(item, seen);
                }
            }

            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    Walk(field.GetValue(value), seen);
                }
            }
        }
    }

    private static (GeneratorDriverRunResult Second, GeneratorDriverRunResult First) RunTwice(string source, Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.Compile(new[] { source });
        var first = GeneratorHarness.Run(compilation);
        var driver = first.Driver.RunGenerators(edit(compilation));
        return (driver.GetRunResult(), first.Result);
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorDriverRunResult result, string step) =>
        result.Results.Single().TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList()
            : new List<IncrementalStepRunReason>();
}
