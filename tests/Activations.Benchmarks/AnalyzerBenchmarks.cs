using System.Collections.Immutable;
using Activations.Generator.Analysis;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Activations.Benchmarks;

/// <summary>
/// What the analyzer costs in a file with hundreds of activations: the whole analysis of one file,
/// divided by <see cref="MethodCount"/> in the report, against the compiler's own diagnostics of that file.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class AnalyzerBenchmarks
{
    [Params(300)]
    public int MethodCount { get; set; }

    private CSharpCompilation compilation = null!;
    private CompilationWithAnalyzers withAnalyzer = null!;

    [GlobalSetup]
    public void Setup()
    {
        compilation = ActivationSources.Compilation(ActivationSources.Mixed(MethodCount));
        withAnalyzer = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActivationAnalyzer()));
    }

    [Benchmark(Baseline = true, Description = "compiler diagnostics of the file")]
    public int CompilerDiagnostics() => compilation.Clone().GetDiagnostics().Length;

    [Benchmark(Description = "Activations analyzer on the file")]
    public int Analyzer() =>
        compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ActivationAnalyzer()))
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult().Length;
}

/// <summary>Source files of many activations in the spellings users write.</summary>
public static class ActivationSources
{
    private static readonly string[] Bodies =
    {
        "MathF.Max(0f, z)",
        "z > 0f ? z : 0.01f * z",
        "1f / (1f + MathF.Exp(-z))",
        "MathF.Tanh(z)",
        "z * MathF.Tanh(MathF.Log(1f + MathF.Exp(z)))",
        "MathF.Min(MathF.Max(0f, z), 6f)",
        "z > 0f ? z : MathF.Exp(z) - 1f",
        "0.5f * z * (1f + MathF.Tanh(0.7978845608f * (z + 0.044715f * z * z * z)))",
        "MathF.Log(1f + MathF.Exp(z))",
        "z / (1f + MathF.Abs(z))",
    };

    public static string Mixed(int count)
    {
        var methods = Enumerable.Range(0, count).Select(i => $"    [Activation] public static float A{i}(float z) => {Bodies[i % Bodies.Length]};");
        return "using System;\nusing Activations;\n\npublic static partial class Many\n{\n" + string.Join("\n", methods) + "\n}\n";
    }

    public static CSharpCompilation Compilation(params string[] sources) => CSharpCompilation.Create(
        "Bench",
        sources.Select(s => CSharpSyntaxTree.ParseText(s)),
        Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Activations.ActivationAttribute).Assembly.Location)),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
}
