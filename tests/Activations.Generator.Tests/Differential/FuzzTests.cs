using System.Collections.Immutable;
using System.Diagnostics;
using Activations.Generator.Analysis;
using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace Activations.Generator.Tests.Differential;

/// <summary>
/// The front door under attack: mutated activation sources (tokens deleted, duplicated, swapped, junk
/// inserted, files truncated) go through the generator and the analyzer. No exception may reach Roslyn,
/// every skipped activation has a diagnostic, and every generated file compiles.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private static int Mutants => TestSizes.FuzzMutants;

    private static readonly string[] Junk =
    {
        "for (int i = 0; i < 3; i++) { }", "while (z > 0f) { z = z - 1f; }", "ref ", "out ", "\"text\"", "Unknown(z)",
        "<T>", "1e400f", "z = 1f;", "return;", "{", "}", "(", ")", "switch (z) { default: break; }", "Mish(z)", "this.", "new object()",
        "await ", "unsafe ", "static ", "partial ", "[Activation] ", "goto done;", "checked(", "z++;", "default", "null", "MathF.Round(z)",
        "1 / 0", "float.NaN", "Math.Pow(z, z)", "(int)z", "z % 2f", "async ", "yield return z;",
    };

    [Fact]
    public void Mutated_sources_never_crash_the_generator_or_the_analyzer()
    {
        var random = new Random(424242);
        var entries = Catalogue.Entries.Where(e => e.Name != "Swish").ToArray();
        int generated = 0;
        int skippedWithDiagnostic = 0;
        for (int m = 0; m < Mutants; m++)
        {
            var chosen = Enumerable.Range(0, 3).Select(_ => entries[random.Next(entries.Length)]).DistinctBy(e => e.Name).ToList();
            string source = "using System;\nusing Activations;\nnamespace Fuzz;\npublic static partial class Act\n{\n"
                + string.Join("\n", chosen.Select(e => e.Source)) + "\n}\n";
            string mutant = Mutate(source, random);
            var (made, explained) = Check(mutant, $"mutant {m}:\n{mutant}");
            generated += made;
            skippedWithDiagnostic += explained;
        }

        output.WriteLine($"{Mutants} mutants: {generated} activations generated, {skippedWithDiagnostic} skipped with a diagnostic");
        Assert.True(generated > 0 && skippedWithDiagnostic > 0, "the mutants exercised neither path");
    }

    /// <summary>
    /// 2,500 levels of <c>(… * a + b)</c>: the generator must neither overflow a compiler thread's 1 MiB stack
    /// nor lose the derivative, which is aⁿ everywhere. How long it takes is a speed target, measured in
    /// <c>DeepBodyBenchmarks</c> against the compiler's own binding of the same body; here only a hang fails.
    /// </summary>
    [Fact]
    public void A_body_of_5000_nested_operations_neither_overflows_the_stack_nor_loses_the_derivative()
    {
        const int Levels = 2500;
        const double A = 0.999, B = 0.001;
        var body = new System.Text.StringBuilder("z");
        for (int i = 0; i < Levels; i++)
        {
            body.Insert(0, "(").Append(" * 0.999f + 0.001f)");
        }

        string source = $"using System;\nusing Activations;\npublic static partial class Deep\n{{\n    [Activation] public static float Nested(float z) => {body};\n}}\n";
        var compilation = GeneratorHarness.Compile(new[] { source });
        GeneratorRun? run = null;
        var watch = new Stopwatch();

        // 1 MiB, as a thread-pool thread of the compiler may have.
        RunOnThread(1024 * 1024, () =>
        {
            watch.Start();
            run = GeneratorHarness.Run(compilation);
            watch.Stop();
        });

        Assert.NotNull(run);
        Assert.All(run!.Result.Results, r => Assert.Null(r.Exception));
        Assert.True(run.Sources.Any(s => s.HintName.Contains("Deep.Nested")), string.Join("\n", run.GeneratorDiagnostics));
        output.WriteLine($"5,000 nested operations: generated in {watch.ElapsedMilliseconds} ms (first run in this process, JIT included)");

        // Emitting the user's own 5,000-deep method takes the compiler more than 1 MiB, as in any build.
        double[] at = { -1000, -3, 0, 0.5, 100 };
        var derivatives = new double[at.Length];
        var values = new double[at.Length];
        RunOnThread(64 * 1024 * 1024, () =>
        {
            using var assembly = run.Load();
            var nested = assembly.Method("Deep", "Nested", 1);
            var derivative = assembly.Method("Deep", "NestedDerivative", 1);
            for (int i = 0; i < at.Length; i++)
            {
                values[i] = nested(new[] { at[i] });
                derivatives[i] = derivative(new[] { at[i] });
            }
        });

        // g(z) = aⁿz + b(1 − aⁿ)/(1 − a), so g′(z) = aⁿ ≈ 0.0820; float rounding over 2,500 steps stays below 1e-4.
        double slope = Math.Pow(A, Levels);
        for (int i = 0; i < at.Length; i++)
        {
            Assert.True(Math.Abs(derivatives[i] - slope) <= 1e-4 * slope, $"g′({at[i]}) = {derivatives[i]}, expected {slope}");
            double expected = slope * at[i] + B * (1 - slope) / (1 - A);
            Assert.True(Math.Abs(values[i] - expected) <= 1e-3 * (1 + Math.Abs(expected)), $"g({at[i]}) = {values[i]}, expected {expected}");
        }
    }

    /// <summary>
    /// Runs work on a thread of the given stack size and rethrows what it threw, so that a failed assertion
    /// fails the test instead of ending the test process. Two minutes is a hang, not a slow run.
    /// </summary>
    private static void RunOnThread(int stackBytes, Action work)
    {
        Exception? failure = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    failure = e;
                }
            },
            stackBytes) { IsBackground = true };
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "the work did not finish within two minutes");
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private static (int Generated, int Explained) Check(string source, string what)
    {
        var compilation = GeneratorHarness.Compile(new[] { source });
        var run = GeneratorHarness.Run(compilation);
        Assert.All(run.Result.Results, r => Assert.True(r.Exception is null, $"{what}\n{r.Exception}"));
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id is "CS8784" or "CS8785");

        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (e, _, _) => exceptions.Add(e),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var analyzerDiagnostics = run.Output
            .WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActivationAnalyzer()), options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        Assert.True(exceptions.Count == 0, $"{what}\n{string.Join("\n", exceptions)}");
        Assert.DoesNotContain(analyzerDiagnostics, d => d.Id == "AD0001");

        // Every generated file compiles: no error is located in generator output.
        var generatedErrors = run.Output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.SourceTree?.FilePath.Contains("Activations.Generator", StringComparison.Ordinal) == true)
            .ToList();
        Assert.True(generatedErrors.Count == 0, $"{what}\n{string.Join("\n", generatedErrors)}");

        // Every [Activation] method either generated or has a diagnostic on it or its type.
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var all = run.GeneratorDiagnostics.Concat(analyzerDiagnostics).Concat(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        int generated = 0, explained = 0;
        foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            if (model.GetDeclaredSymbol(method) is not IMethodSymbol symbol
                || !symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Activations.ActivationAttribute"))
            {
                continue;
            }

            if (run.Sources.Any(s => s.HintName.Contains("." + symbol.Name + ".", StringComparison.Ordinal)))
            {
                generated++;
                continue;
            }

            var type = method.Ancestors().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            // A declaration with syntax errors carries the compiler's own diagnostics.
            bool enclosingNameBroken = method.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Name.ContainsDiagnostics)
                || (type is not null && type.Identifier.IsMissing);
            bool hasDiagnostic = type is null || method.ContainsDiagnostics || enclosingNameBroken || all.Any(d =>
                (d.Location.SourceTree == tree || d.Location.GetLineSpan().Path == tree.FilePath)
                && (method.FullSpan.Contains(d.Location.SourceSpan.Start) || type.Identifier.Span.Contains(d.Location.SourceSpan.Start) || d.GetMessage().Contains("'" + symbol.Name + "'", StringComparison.Ordinal)));
            Assert.True(hasDiagnostic, $"{what}\n'{symbol.Name}' was skipped without a diagnostic");
            explained++;
        }

        return (generated, explained);
    }

    private static string Mutate(string source, Random random)
    {
        var tokens = SyntaxFactory.ParseTokens(source).Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).ToList();
        var texts = tokens.Select(t => t.ToFullString()).ToList();
        int at = random.Next(texts.Count);
        switch (random.Next(6))
        {
            case 0:
                texts.RemoveAt(at);
                break;
            case 1:
                texts.Insert(at, texts[at]);
                break;
            case 2 when at + 1 < texts.Count:
                (texts[at], texts[at + 1]) = (texts[at + 1], texts[at]);
                break;
            case 3:
                return source.Substring(0, random.Next(source.Length));
            default:
                texts.Insert(at, " " + Junk[random.Next(Junk.Length)] + " ");
                break;
        }

        return string.Concat(texts);
    }
}
