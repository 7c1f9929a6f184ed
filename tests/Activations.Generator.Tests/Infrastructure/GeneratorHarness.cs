using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Activations.Generator.Tests.Infrastructure;

/// <summary>Runs the generator over C# sources the way the compiler does, and compiles and loads the result.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly MetadataReference AttributeAssembly = MetadataReference.CreateFromFile(typeof(ActivationAttribute).Assembly.Location);

    /// <summary>net8.0 reference assemblies: proves generated code builds for the oldest supported target.</summary>
    public static readonly ImmutableArray<MetadataReference> Net80 =
        Basic.Reference.Assemblies.Net80.References.All.Cast<MetadataReference>().Append(AttributeAssembly).ToImmutableArray();

    /// <summary>The running runtime's own assemblies, needing no download.</summary>
    public static readonly ImmutableArray<MetadataReference> CurrentRuntime =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(AttributeAssembly)
            .ToImmutableArray();

    public static CSharpCompilation Compile(IEnumerable<string> sources, ImmutableArray<MetadataReference>? references = null, string assemblyName = "UserCode") =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            references ?? Net80,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorRun Run(params string[] sources) => Run(Compile(sources));

    public static GeneratorRun Run(CSharpCompilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new ActivationGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        return new GeneratorRun(driver, (CSharpCompilation)output, generatorDiagnostics);
    }
}

internal sealed record GeneratorRun(GeneratorDriver Driver, CSharpCompilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics)
{
    public GeneratorDriverRunResult Result => Driver.GetRunResult();

    public IReadOnlyList<GeneratedSourceResult> Sources => Result.Results.SelectMany(r => r.GeneratedSources).ToList();

    public string Source(string hintNameContains) =>
        Sources.Single(s => s.HintName.Contains(hintNameContains, StringComparison.Ordinal)).SourceText.ToString();

    /// <summary>Errors of the compilation with the generated code in it, generator diagnostics excluded.</summary>
    public IReadOnlyList<Diagnostic> CompilationErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>Compiles the output and loads it into a collectible context.</summary>
    public LoadedAssembly Load()
    {
        var exceptions = Result.Results.Select(r => r.Exception).Where(e => e is not null).ToList();
        Assert.Empty(exceptions);
        using var stream = new MemoryStream();
        var emit = Output.Emit(stream);
        Assert.True(emit.Success, string.Join(Environment.NewLine, emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid(), isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(stream));
    }
}

public sealed class LoadedAssembly(AssemblyLoadContext context, Assembly assembly) : IDisposable
{
    public Assembly Assembly { get; } = assembly;

    /// <summary>A static method as a delegate of doubles, whatever its scalar type.</summary>
    public Func<double[], double> Method(string typeName, string methodName, int parameterCount)
    {
        var type = Assembly.GetType(typeName, throwOnError: true)!;
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Single(m => m.Name == methodName && m.GetParameters().Length == parameterCount);
        bool isFloat = method.ReturnType == typeof(float);
        return args =>
        {
            object[] boxed = args.Select(a => isFloat ? (object)(float)a : a).ToArray();
            object result = method.Invoke(null, boxed)!;
            return isFloat ? (float)result : (double)result;
        };
    }

    /// <summary>A public static span member as a delegate; the overload is the one whose parameters are the delegate's.</summary>
    public TDelegate Span<TDelegate>(string typeName, string methodName)
        where TDelegate : Delegate
    {
        var parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        var method = Assembly.GetType(typeName, throwOnError: true)!.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static, parameters)
            ?? throw new MissingMethodException(typeName, methodName);
        return method.CreateDelegate<TDelegate>();
    }

    public bool HasMethod(string typeName, string methodName) =>
        Assembly.GetType(typeName, throwOnError: true)!.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static).Any(m => m.Name == methodName);

    public void Dispose() => context.Unload();
}
