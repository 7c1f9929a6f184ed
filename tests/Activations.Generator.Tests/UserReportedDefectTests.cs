using Activations.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Activations.Generator.Tests;

/// <summary>
/// What a new user hit in the first hour (calls across precision, a method declared twice, lost defaults,
/// messages that did not say what was wrong), each pinned by the test that failed before its fix.
/// </summary>
public class UserReportedDefectTests
{
    [Fact]
    public void Calls_across_precision_compile_and_carry_the_casts_through_the_chain_rule()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[]
        {
            """
            using System;
            using Activations;
            namespace Mixed;
            public static partial class Act
            {
                [Activation] public static float Sig(float z) => 1f / (1f + MathF.Exp(-z));
                [Activation] public static double SigD(double z) => Sig((float)z);
                [Activation] public static double Softplus(double z) => Math.Log(1.0 + Math.Exp(z));
                [Activation] public static float SoftplusF(float z) => 2f * (float)Softplus(z);
            }
            """,
        }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Contains("SigDerivative((float)z)", run.Source("Act.SigD."), StringComparison.Ordinal);
        Assert.Contains("(float)SoftplusDerivative(z)", run.Source("Act.SoftplusF."), StringComparison.Ordinal);

        using var loaded = run.Load();
        var sigD = loaded.Method("Mixed.Act", "SigDDerivative", 1);
        var softplusF = loaded.Method("Mixed.Act", "SoftplusFDerivative", 1);
        foreach (double z in new[] { -1000.0, -20.0, -1.5, 0.0, 0.25, 3.0, 100.0, 1000.0 })
        {
            double s = 1 / (1 + Math.Exp(-(double)(float)z));
            Assert.Equal(s * (1 - s), sigD(new[] { z }), 1e-7);
            Assert.Equal(2 / (1 + Math.Exp(-(double)(float)z)), softplusF(new[] { z }), 1e-6);
        }
    }

    [Fact]
    public void A_method_declared_twice_gets_only_the_compilers_error_and_the_rest_still_generates()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Twice(float z) => MathF.Max(0f, z);
                [Activation] public static float Twice(float z) => MathF.Max(0f, z);
                [Activation] public static float Caller(float z) => 2f * Twice(z);
                [Activation] public static float Other(float z) => z * z;
            }
            """);
        Assert.All(run.Result.Results, r => Assert.Null(r.Exception));
        Assert.DoesNotContain(run.Output.GetDiagnostics(), d => d.Id == "CS8785");
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.Sources, s => s.HintName.Contains("Act.Other."));
        Assert.Contains(run.Sources, s => s.HintName.Contains("Act.Twice."));
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0111");

        // A call to it is ambiguous (CS0121): the caller is skipped, and the compiler alone says why.
        Assert.Contains(run.Output.GetDiagnostics(), d => d.Id == "CS0121");
        Assert.DoesNotContain(run.Sources, s => s.HintName.Contains("Act.Caller."));
    }

    [Fact]
    public void Default_values_of_hyperparameters_are_kept_on_every_generated_member()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[]
        {
            """
            using System;
            using Activations;
            namespace Defaults;
            public static partial class Act
            {
                [Activation] public static float Leaky(float z, float slope = 0.01f) => z > 0f ? z : slope * z;
                [Activation] public static double Celu(double z, double alpha = 1.0) => Math.Max(0.0, z) + Math.Min(0.0, alpha * (Math.Exp(z / alpha) - 1.0));
            }
            public static class Caller
            {
                public static float Use(float z) => Act.LeakyDerivative(z);
                public static void Spans(float[] x, float[] d) { Act.Leaky(x, d); Act.LeakyDerivative(x, d); Act.LeakyBackward(x, x, d); }
                public static double UseCelu(double z) => Act.CeluDerivative(z);
            }
            """,
        }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.CompilationErrors);
        Assert.Contains("float slope = 0.01f)", run.Source("Act.Leaky."), StringComparison.Ordinal);
        Assert.Contains("double alpha = 1.0)", run.Source("Act.Celu."), StringComparison.Ordinal);
        Assert.Contains("<c>destination[i] = CeluDerivative(z[i], alpha)</c>", run.Source("Act.Celu."), StringComparison.Ordinal);
    }

    [Fact]
    public void GeneratedCode_carries_the_package_version()
    {
        var run = GeneratorHarness.Run("using Activations;\npublic static partial class Act { [Activation] public static float Square(float z) => z * z; }");
        string version = typeof(ActivationGenerator).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];
        Assert.Equal("0.2.0", version);
        Assert.Contains("GeneratedCode(\"Activations.Generator\", \"0.2.0\")", run.Source("Act.Square."), StringComparison.Ordinal);
    }

    [Fact]
    public void Direct_recursion_says_it_calls_itself_and_names_no_one_else()
    {
        var run = GeneratorHarness.Run("using Activations;\npublic static partial class Act { [Activation] public static float Rec(float z) => z > 1f ? Rec(z * 0.5f) : z; }");
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "ACT103");
        Assert.Equal("Activation 'Rec' calls itself; recursion cannot be differentiated", diagnostic.GetMessage());
    }

    [Fact]
    public void Indirect_recursion_names_the_callee_it_goes_through()
    {
        var run = GeneratorHarness.Run("""
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Ping(float z) => Pong(z) * 0.5f;
                [Activation] public static float Pong(float z) => Ping(z) + 1f;
            }
            """);
        var messages = run.GeneratorDiagnostics.Where(d => d.Id == "ACT103").Select(d => d.GetMessage()).OrderBy(m => m).ToList();
        Assert.Equal(
            new[] { "Activation 'Ping' calls itself through 'Pong'; recursion cannot be differentiated", "Activation 'Pong' calls itself through 'Ping'; recursion cannot be differentiated" },
            messages);
    }

    [Fact]
    public void Calling_a_generated_derivative_inside_an_activation_says_what_it_is()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Sig(float z) => 1f / (1f + MathF.Exp(-z));
                [Activation] public static float Curvature(float z) => SigDerivative(z);
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics, d => d.Id == "ACT101");
        Assert.Contains("Calling the generated 'SigDerivative'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("second derivative", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_unsupported_call_message_lists_every_function_the_parser_accepts_and_they_work()
    {
        var run = GeneratorHarness.Run("""
            using System;
            using Activations;
            public static partial class Act
            {
                [Activation] public static float Bad(float z) => MathF.Round(z);
                [Activation] public static float Logs(float z) => MathF.Log2(1f + z * z) + MathF.Log10(2f + z * z);
            }
            """);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("ACT102", diagnostic.Id);
        foreach (string name in new[] { "Exp", "Log", "Log2", "Log10", "Sqrt", "Pow", "Tanh", "Sinh", "Cosh", "Sin", "Cos", "Atan", "Abs", "Max", "Min", "Clamp", "Sign" })
        {
            Assert.Contains(name + ",", diagnostic.GetMessage().Replace("Sign and", "Sign,"), StringComparison.Ordinal);
        }

        Assert.Contains(run.Sources, s => s.HintName.Contains("Act.Logs."));

        // The attribute's XML doc (what the IDE shows) lists the same functions.
        string attributeDoc = File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Activations", "ActivationAttribute.cs"));
        Assert.Contains("Log2", attributeDoc, StringComparison.Ordinal);
        Assert.Contains("Log10", attributeDoc, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_links_point_into_the_repository_the_package_names()
    {
        string props = File.ReadAllText(Path.Combine(RepositoryRoot, "src", "Directory.Build.props"));
        string url = props.Split("<RepositoryUrl>")[1].Split("</RepositoryUrl>")[0];
        var descriptors = typeof(ActivationGenerator).Assembly.GetType("Activations.Generator.Diagnostics.DiagnosticDescriptors")!
            .GetFields().Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>().ToList();
        Assert.NotEmpty(descriptors);
        Assert.All(descriptors, d => Assert.Equal($"{url}/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri));
    }

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
}
