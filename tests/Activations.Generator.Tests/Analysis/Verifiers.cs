using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Activations.Generator.Tests.Analysis;

/// <summary>Analyzer and code-fix tests against net8.0 reference assemblies that need no download.</summary>
internal static class Verifiers
{
    public static ReferenceAssemblies References { get; } = new ReferenceAssemblies("net8.0");

    public const string Usings = "using System;\nusing Activations;\n\n";

    public static async Task VerifyAnalyzerAsync(string source)
    {
        await AnalyzerTest(source).RunAsync();
    }

    /// <summary>An analyzer test of <paramref name="source"/> (usings added), with an optional .editorconfig.</summary>
    public static CSharpAnalyzerTest<Activations.Generator.Analysis.ActivationAnalyzer, DefaultVerifier> AnalyzerTest(string source, string? editorConfig = null)
    {
        var test = new CSharpAnalyzerTest<Activations.Generator.Analysis.ActivationAnalyzer, DefaultVerifier> { TestCode = Usings + source, ReferenceAssemblies = References };
        Configure(test.TestState);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        return test;
    }

    public static CSharpCodeFixTest<Activations.Generator.Analysis.ActivationAnalyzer, TFix, DefaultVerifier> CodeFix<TFix>(string source, string fixedSource, string? editorConfig = null)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<Activations.Generator.Analysis.ActivationAnalyzer, TFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
            ReferenceAssemblies = References,
        };
        Configure(test.TestState);
        Configure(test.FixedState);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
            test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        return test;
    }

    private static void Configure(SolutionState state)
    {
        state.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(ActivationAttribute).Assembly.Location));
    }
}
