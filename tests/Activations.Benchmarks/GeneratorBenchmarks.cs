using Activations.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Activations.Benchmarks;

/// <summary>
/// The generator in a project of 1,000 activations (ten files of 100): a full run, a re-run after
/// editing one body, and a re-run after an unrelated edit. Goals: full run ≤ 1 ms per activation,
/// unrelated edit ≤ 5% of a full run.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 10)]
public class GeneratorBenchmarks
{
    private const int Files = 10;
    private const int PerFile = 100;

    private CSharpCompilation compilation = null!;
    private CSharpCompilation bodyEdited = null!;
    private CSharpCompilation unrelatedEdit = null!;
    private GeneratorDriver warmDriver = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sources = Enumerable.Range(0, Files)
            .Select(f => ActivationSources.Mixed(PerFile).Replace("class Many", "class Many" + f).Replace(" A", $" F{f}A"))
            .ToArray();
        compilation = ActivationSources.Compilation(sources);

        var first = compilation.SyntaxTrees.First();
        string text = first.GetText().ToString();
        int at = text.IndexOf("MathF.Max(0f, z)", StringComparison.Ordinal);
        var edited = first.WithChangedText(SourceText.From(text.Remove(at, "MathF.Max(0f, z)".Length).Insert(at, "MathF.Max(0.01f * z, z)")));
        bodyEdited = compilation.ReplaceSyntaxTree(first, edited);
        unrelatedEdit = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Unrelated { public static int Answer => 42; }"));

        warmDriver = NewDriver().RunGenerators(compilation);
    }

    private static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
        new[] { new ActivationGenerator().AsSourceGenerator() },
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    [Benchmark(Baseline = true, Description = "full run, 1,000 activations")]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(compilation);

    [Benchmark(Description = "re-run after editing one body")]
    public GeneratorDriver OneBodyEdit() => warmDriver.RunGenerators(bodyEdited);

    [Benchmark(Description = "re-run after an unrelated edit")]
    public GeneratorDriver UnrelatedEdit() => warmDriver.RunGenerators(unrelatedEdit);
}
