using Activations.Generator;
using Activations.Generator.Tests.Sizes;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Activations.Benchmarks;

/// <summary>
/// Bodies that used to grow exponentially (issue 20): the Abramowitz–Stegun erf, an exact GELU that calls it,
/// a Padé activation, nested Abs and a 20-local body. Goals: generator ≤ 50 ms for the erf and the GELU, and
/// the whole build (generator, then the compiler binding the project with the generated code) within 1.5× of
/// the baseline, the compiler binding the same project without <c>[Activation]</c>. Each iteration parses
/// afresh, outside the timing, so that no cached parse is measured. Emitted characters are printed in setup.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 12)]
public class ExpressionSizeBenchmarks
{
    private string withAttribute = null!;
    private string withoutAttribute = null!;
    private CSharpCompilation fresh = null!;
    private CSharpCompilation freshWithout = null!;

    [ParamsSource(nameof(Bodies))]
    public string Body { get; set; } = null!;

    public static IEnumerable<string> Bodies => ExpressionSizeBodies.Names;

    [GlobalSetup]
    public void Setup()
    {
        withAttribute = ExpressionSizeBodies.Source(Body);
        withoutAttribute = ExpressionSizeBodies.Source(Body, generate: false);

        // A benchmark of a generator that skipped the method, or of generated code that does not compile, means nothing.
        var compilation = ActivationSources.Compilation(withAttribute);
        CSharpGeneratorDriver.Create(new ActivationGenerator()).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var generated = output.SyntaxTrees.FirstOrDefault(t => t.FilePath.Contains($"Act.{Body}.", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{Body} was not generated: {string.Join("; ", diagnostics)}");
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!diagnostics.IsEmpty || errors.Count > 0)
        {
            throw new InvalidOperationException($"{Body}: {string.Join("; ", diagnostics.Concat(errors))}");
        }

        int characters = generated.GetText().Length;
        int body = ExpressionSizeBodies.Body(Body).Length;
        Console.WriteLine($"// {Body}: {characters:N0} characters generated for a body of {body:N0} ({(double)characters / body:0.0}×)");
    }

    [IterationSetup]
    public void ParseAfresh()
    {
        fresh = ActivationSources.Compilation(withAttribute);
        freshWithout = ActivationSources.Compilation(withoutAttribute);
    }

    [Benchmark(Baseline = true, Description = "compiler binds the project without [Activation]")]
    public int CompilerWithoutAttribute() => freshWithout.GetDiagnostics().Length;

    [Benchmark(Description = "generator")]
    public GeneratorDriver Generator() => CSharpGeneratorDriver.Create(new ActivationGenerator()).RunGenerators(fresh);

    [Benchmark(Description = "whole build: generator, then the compiler binds it all")]
    public int WholeBuild()
    {
        CSharpGeneratorDriver.Create(new ActivationGenerator()).RunGeneratorsAndUpdateCompilation(fresh, out var output, out _);
        return output.GetDiagnostics().Length;
    }
}
