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
            .Select(f => ActivationSources.Mixed(PerFile).Replace("class Many", "class Many" + f))
            .ToArray();
        compilation = ActivationSources.Compilation(sources);

        var first = compilation.SyntaxTrees.First();
        string text = first.GetText().ToString();
        int at = text.IndexOf("MathF.Max(0f, z)", StringComparison.Ordinal);
        var edited = first.WithChangedText(SourceText.From(text.Remove(at, "MathF.Max(0f, z)".Length).Insert(at, "MathF.Max(0.01f * z, z)")));
        bodyEdited = compilation.ReplaceSyntaxTree(first, edited);
        unrelatedEdit = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("public static class Unrelated { public static int Answer => 42; }"));

        warmDriver = NewDriver().RunGenerators(compilation);

        // A benchmark of a generator that found nothing would be fast and meaningless.
        int generated = warmDriver.GetRunResult().GeneratedTrees.Length;
        if (generated < Files * PerFile)
        {
            throw new InvalidOperationException($"expected {Files * PerFile} generated files, got {generated}");
        }
    }

    private static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create(
        new[] { new ActivationGenerator().AsSourceGenerator() },
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    [Benchmark(Baseline = true, Description = "full run, 1,000 activations")]
    public GeneratorDriver FullRun() => NewDriver().RunGenerators(compilation);

    [Benchmark(Description = "re-run after editing one body")]
    public GeneratorDriver OneBodyEdit() => warmDriver.RunGenerators(bodyEdited);

    /// <summary>The floor: Roslyn's driver over 1,000 cached items with nothing changed at all.</summary>
    [Benchmark(Description = "re-run with no change")]
    public GeneratorDriver NoChange() => warmDriver.RunGenerators(compilation);

    [Benchmark(Description = "re-run after an unrelated edit")]
    public GeneratorDriver UnrelatedEdit() => warmDriver.RunGenerators(unrelatedEdit);

    /// <summary>
    /// The same unrelated edit through a generator that only finds the 1,000 attributed methods and keeps
    /// their names: what Roslyn's ForAttributeWithMetadataName costs on a new compilation by itself.
    /// </summary>
    [Benchmark(Description = "unrelated edit, attribute lookup alone")]
    public GeneratorDriver UnrelatedEditLookupOnly() => warmLookupDriver.RunGenerators(unrelatedEdit);

    private GeneratorDriver warmLookupDriver = null!;

    [GlobalSetup(Target = nameof(UnrelatedEditLookupOnly))]
    public void SetupLookup()
    {
        Setup();
        warmLookupDriver = CSharpGeneratorDriver.Create(new[] { new LookupOnlyGenerator().AsSourceGenerator() }).RunGenerators(compilation);
    }

    private sealed class LookupOnlyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var names = context.SyntaxProvider.ForAttributeWithMetadataName(
                "Activations.ActivationAttribute", static (node, _) => true, static (ctx, _) => ctx.TargetSymbol.Name);
            context.RegisterSourceOutput(names.Collect(), static (_, _) => { });
        }
    }
}
