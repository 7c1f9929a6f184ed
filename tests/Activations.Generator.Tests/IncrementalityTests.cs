using System.Collections;
using System.Reflection;
using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Activations.Generator.Tests;

/// <summary>The pipeline caches: unrelated edits reuse every step, body edits re-run only what they touch.</summary>
public class IncrementalityTests
{
    private static readonly string[] TrackedSteps =
    {
        StepNames.Parse, StepNames.Spec, StepNames.ResolveCallees, StepNames.Derive, StepNames.Plan, StepNames.Source, StepNames.Diagnostics,
    };

    /// <summary>The steps after the parse: none may run again for an edit that only moves the methods.</summary>
    private static readonly string[] StepsAfterParse =
    {
        StepNames.Spec, StepNames.ResolveCallees, StepNames.Derive, StepNames.Plan, StepNames.Source, StepNames.Diagnostics,
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

        AssertNothingRan(second, TrackedSteps);
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

    public static TheoryData<string, string, string> EditsThatOnlyMoveTheMethods => new()
    {
        { "a comment inserted above", "public static partial class Act", "// The activations of the model.\npublic static partial class Act" },
        { "whitespace inside a body", "=> MathF.Max(0f, z);", "=>   MathF.Max( 0f, z );" },
        { "a blank line between two methods", "    [Activation] public static float Swish", "\n\n    [Activation] public static float Swish" },
    };

    [Theory]
    [MemberData(nameof(EditsThatOnlyMoveTheMethods))]
    public void An_edit_that_only_moves_the_methods_reruns_nothing_after_the_parse(string edit, string from, string to)
    {
        var (second, _) = RunTwice(Activations, compilation =>
        {
            var tree = compilation.SyntaxTrees.Single();
            string text = tree.GetText().ToString();
            Assert.Contains(from, text, StringComparison.Ordinal);
            return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text.Replace(from, to))));
        });

        // The parse runs (the file changed) and may give new locations; nothing it hands on differs.
        Assert.Equal(3, Reasons(second, StepNames.Parse).Count);
        AssertNothingRan(second, StepsAfterParse, edit);
    }

    [Fact]
    public void An_edit_in_another_file_reruns_nothing()
    {
        var compilation = GeneratorHarness.Compile(new[] { Activations, "public static class Other { public static int Answer() { return 41; } }" });
        var first = GeneratorHarness.Run(compilation);
        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(SourceText.From(other.GetText().ToString().Replace("41", "42"))));
        var second = first.Driver.RunGenerators(edited).GetRunResult();
        AssertNothingRan(second, TrackedSteps);
    }

    [Fact]
    public void A_moved_method_gets_its_derivation_diagnostic_at_its_new_place_in_the_compilations_own_tree()
    {
        // ACT103 is found by Derive; moving the method must move the diagnostic although Derive does not re-run.
        const string recursive = """
            using Activations;

            public static partial class Act
            {
                [Activation] public static float A(float z) => B(z);
                [Activation] public static float B(float z) => A(z) * 0.5f;
            }
            """;
        var compilation = GeneratorHarness.Compile(new[] { recursive });
        var first = GeneratorHarness.Run(compilation);
        var before = first.Result.Results.Single().Diagnostics.Where(d => d.Id == "ACT103").Select(d => d.Location.GetLineSpan().StartLinePosition.Line).OrderBy(l => l).ToList();
        Assert.Equal(2, before.Count);

        var tree = compilation.SyntaxTrees.Single();
        var moved = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From("// moved down two lines\n\n" + tree.GetText())));
        var second = first.Driver.RunGenerators(moved).GetRunResult();
        var diagnostics = second.Results.Single().Diagnostics.Where(d => d.Id == "ACT103").ToList();
        Assert.Equal(before.Select(l => l + 2), diagnostics.Select(d => d.Location.GetLineSpan().StartLinePosition.Line).OrderBy(l => l));
        Assert.All(diagnostics, d => Assert.Same(moved.SyntaxTrees.Single(), d.Location.SourceTree));
        Assert.All(Reasons(second, StepNames.Derive), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    public static TheoryData<string, int> ProjectsAndTheirActivationCount => new()
    {
        { "public static class NoActivations { public static float Twice(float z) => 2f * z; }", 0 },
        { "using System;\nusing Activations;\npublic static partial class Act { [Activation] public static float Wave(float z) => z + 0.1f * MathF.Sin(z); }", 1 },
        { Activations, 3 },
    };

    [Theory]
    [MemberData(nameof(ProjectsAndTheirActivationCount))]
    public void A_project_receives_one_file_per_activation_and_no_shared_helpers(string source, int activations)
    {
        // The loops and the vector math are compiled into the runtime assembly, not generated into projects.
        var run = GeneratorHarness.Run(source);
        Assert.Empty(run.CompilationErrors);
        Assert.Equal(activations, run.Sources.Count);
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

    [Fact]
    public void Unrelated_edits_bind_no_body_again()
    {
        var compilation = GeneratorHarness.Compile(new[] { Activations, "public static class Other { public static int Answer() { return 41; } }" });
        var driver = GeneratorHarness.Run(compilation).Driver;

        // Typing in another method's body, then adding a file with new declarations.
        var other = compilation.SyntaxTrees.Last();
        var typed = compilation.ReplaceSyntaxTree(other, other.WithChangedText(SourceText.From(other.GetText().ToString().Replace("41", "42"))));
        var added = typed.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public class Unrelated { public int X => 42; }", GeneratorHarness.ParseOptions));

        int before = Parsing.ParseCache.BodiesBound;
        driver = driver.RunGenerators(compilation);
        Assert.Equal(0, Parsing.ParseCache.BodiesBound - before);
        driver = driver.RunGenerators(typed);
        Assert.Equal(0, Parsing.ParseCache.BodiesBound - before);
        driver = driver.RunGenerators(added);
        Assert.Equal(0, Parsing.ParseCache.BodiesBound - before);
        Assert.Equal(3, driver.GetRunResult().GeneratedTrees.Count(t => t.FilePath.Contains("Act.", StringComparison.Ordinal)));

        // The file holding the activations is edited: its methods are new nodes and are bound again.
        var own = added.SyntaxTrees.First();
        var edited = added.ReplaceSyntaxTree(own, own.WithChangedText(SourceText.From(own.GetText().ToString().Replace("MathF.Max(0f, z)", "MathF.Max(0.01f * z, z)"))));
        before = Parsing.ParseCache.BodiesBound;
        driver.RunGenerators(edited);
        Assert.Equal(3, Parsing.ParseCache.BodiesBound - before);
    }

    private const string UsesConstant = """
        using Activations;

        public static partial class Act
        {
            [Activation] public static float Leaky(float z) => z > 0f ? z : Slopes.Leak * z;
        }
        """;

    private const string FileBreak = "\n// next file\n";

    public static TheoryData<string, string, string, string> EditsElsewhereThatChangeTheOutput => new()
    {
        // The constant the body reads.
        { "public static class Slopes { public const float Leak = 0.01f; }", "0.01f", "0.25f", "0.25" },

        // A constant the body never names, in a third file, reached through the initializer of one it does.
        { "public static class Slopes { public const float Leak = Base.Value * 2f; }" + FileBreak + "public static class Base { public const float Value = 0.005f; }", "0.005f", "0.125f", "0.25" },
    };

    [Theory]
    [MemberData(nameof(EditsElsewhereThatChangeTheOutput))]
    public void An_edit_to_a_declaration_the_body_depends_on_reaches_the_output(string constants, string from, string to, string expected)
    {
        var compilation = GeneratorHarness.Compile(new[] { UsesConstant }.Concat(constants.Split(FileBreak)));
        var first = GeneratorHarness.Run(compilation);
        Assert.DoesNotContain(expected, first.Source("Act."), StringComparison.Ordinal);

        var tree = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(tree.GetText().ToString().Replace(from, to))));
        var second = first.Driver.RunGenerators(edited).GetRunResult();
        string source = second.Results.Single().GeneratedSources.Single(s => s.HintName.Contains("Act.", StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains(expected, source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_declaration_that_changes_what_a_body_binds_to_is_seen()
    {
        var compilation = GeneratorHarness.Compile(new[] { Activations });
        var first = GeneratorHarness.Run(compilation);
        Assert.Empty(Diagnostics(first.Result));

        // A source MathF in the global namespace hides System.MathF: Exp is no longer the one we know.
        var shadowed = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class MathF { public static float Exp(float x) => x; public static float Max(float a, float b) => a; }", GeneratorHarness.ParseOptions));
        var second = first.Driver.RunGenerators(shadowed).GetRunResult();
        Assert.Contains(Diagnostics(second), d => d.Id == "ACT102");

        // A member with a generated name, added in another part of the partial class, is a clash.
        var clash = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static partial class Act { public static float ReluDerivative(float z) => 0f; }", GeneratorHarness.ParseOptions));
        var third = first.Driver.RunGenerators(clash).GetRunResult();
        Assert.Contains(Diagnostics(third), d => d.Id == "ACT107" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("ReluDerivative", StringComparison.Ordinal));

        static IEnumerable<Diagnostic> Diagnostics(GeneratorDriverRunResult result) => result.Results.SelectMany(r => r.Diagnostics);
    }

    private static (GeneratorDriverRunResult Second, GeneratorDriverRunResult First) RunTwice(string source, Func<Compilation, Compilation> edit)
    {
        var compilation = GeneratorHarness.Compile(new[] { source });
        var first = GeneratorHarness.Run(compilation);
        var driver = first.Driver.RunGenerators(edit(compilation));
        return (driver.GetRunResult(), first.Result);
    }

    /// <summary>Every output of each step was reused (Cached) or recomputed to an equal value (Unchanged).</summary>
    private static void AssertNothingRan(GeneratorDriverRunResult result, IEnumerable<string> steps, string edit = "")
    {
        foreach (string step in steps)
        {
            var reasons = Reasons(result, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{edit} {step}: {r}"));
        }
    }

    private static List<IncrementalStepRunReason> Reasons(GeneratorDriverRunResult result, string step) =>
        result.Results.Single().TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToList()
            : new List<IncrementalStepRunReason>();
}
