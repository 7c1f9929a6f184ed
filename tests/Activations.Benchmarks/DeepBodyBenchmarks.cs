using Activations.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Activations.Benchmarks;

/// <summary>
/// One activation whose body nests 5,000 operations, <c>(…((z * 0.999f + 0.001f) * 0.999f + 0.001f)…)</c>.
/// Goal: the generator takes under a second. The baseline is what every build pays for that body anyway:
/// the compiler binding it (a new compilation's diagnostics). Each iteration gets a freshly parsed tree,
/// outside the timing as in a build (the compiler parses before generators run): the generator keeps a
/// body's parse for as long as its syntax node lives, so a reused tree would measure a cache hit.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 30, iterationCount: 15)]
public class DeepBodyBenchmarks
{
    private string source = null!;
    private CSharpCompilation fresh = null!;

    [Params(1_000, 5_000)]
    public int Operations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var body = new System.Text.StringBuilder("z");
        for (int i = 0; i < Operations / 2; i++)
        {
            body.Insert(0, "(").Append(" * 0.999f + 0.001f)");
        }

        source = $"using Activations;\n\npublic static partial class Deep\n{{\n    [Activation] public static float Nested(float z) => {body};\n}}\n";

        // A benchmark of a generator that skipped the method would be fast and meaningless.
        var compilation = ActivationSources.Compilation(source);
        var result = Generate(compilation).GetRunResult();
        if (!result.GeneratedTrees.Any(t => t.FilePath.Contains("Deep.Nested", StringComparison.Ordinal)) || !result.Diagnostics.IsEmpty)
        {
            throw new InvalidOperationException("the deep body was not generated: " + string.Join("; ", result.Diagnostics));
        }

        // Nor would a baseline that gave up on the body ("expression too long or complex", CS8078).
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("the compiler did not bind the deep body: " + string.Join("; ", errors));
        }
    }

    [IterationSetup]
    public void ParseAfresh() => fresh = ActivationSources.Compilation(source);

    [Benchmark(Baseline = true, Description = "compiler binds the body")]
    public int CompilerAlone() => fresh.GetDiagnostics().Length;

    [Benchmark(Description = "generator")]
    public GeneratorDriver Generator() => Generate(fresh);

    private static GeneratorDriver Generate(CSharpCompilation compilation) =>
        CSharpGeneratorDriver.Create(new ActivationGenerator()).RunGenerators(compilation);
}
