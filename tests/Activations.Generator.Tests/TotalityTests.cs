using System.Reflection;
using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests;

/// <summary>
/// No generated member throws, for any input: one activation per function the parser accepts (and the
/// catalogue), every generated scalar member and span kernel run on NaN, ±∞, ±0, subnormals and ordinary values.
/// MathF.Sign(NaN) throws ArithmeticException, so the user's own Sign activation does; its kernels must not.
/// </summary>
public sealed class TotalityTests
{
    /// <summary>A body per supported call, each function applied to something of z so that its whole domain is reached.</summary>
    private static readonly (string Name, string Body)[] Bodies =
    {
        ("Exp", "MathF.Exp(z)"), ("Log", "MathF.Log(z)"), ("LogBase", "MathF.Log(z, 3f)"), ("Log2", "MathF.Log2(z)"),
        ("Log10", "MathF.Log10(z)"), ("Sqrt", "MathF.Sqrt(z)"), ("Pow", "MathF.Pow(z, 1.5f)"), ("Tanh", "MathF.Tanh(z)"),
        ("Sinh", "MathF.Sinh(z)"), ("Cosh", "MathF.Cosh(z)"), ("Sin", "MathF.Sin(z)"), ("Cos", "MathF.Cos(z)"),
        ("Atan", "MathF.Atan(z)"), ("Asinh", "MathF.Asinh(z)"), ("Abs", "MathF.Abs(z)"), ("Max", "MathF.Max(z, 0.5f)"),
        ("Min", "MathF.Min(z, 0.5f)"), ("Clamp", "Math.Clamp(z, -2f, 2f)"), ("Sign", "MathF.Sign(z) * MathF.Log(1f + MathF.Abs(z))"),
        ("SignAlone", "MathF.Sign(z)"), ("LogP1", "float.LogP1(z)"),
    };

    private static readonly float[] Special =
    {
        float.NaN, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC00001)), float.PositiveInfinity, float.NegativeInfinity,
        0f, -0f, float.Epsilon, -float.Epsilon, 1e-40f, -1e-40f, 1e-30f, 1f, -1f, 0.5f, 88.8f, -88.8f, 1000f, -1000f, float.MaxValue, float.MinValue,
    };

    [Fact]
    public void No_generated_member_throws_for_any_input()
    {
        string members = string.Concat(Bodies.Select(b => $"    [Activation] public static float {b.Name}Act(float z) => {b.Body};\n"));
        string source = $"using System;\nusing Activations;\nnamespace Total;\npublic static partial class Act\n{{\n{members}}}\n";
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { source }, GeneratorHarness.CurrentRuntime));
        Assert.Empty(run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error));
        using var assembly = run.Load();
        int checkedMembers = RunEveryGeneratedMember(assembly.Assembly.GetType("Total.Act", throwOnError: true)!, Bodies.Select(b => b.Name + "Act"));
        Assert.True(checkedMembers >= Bodies.Length * 4, $"only {checkedMembers} members were run");
    }

    [Fact]
    public void No_catalogue_member_throws_for_any_input()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.Compile(new[] { Catalogue.Source }, GeneratorHarness.CurrentRuntime));
        using var assembly = run.Load();
        var type = assembly.Assembly.GetType("Catalogue.Act", throwOnError: true)!;
        int checkedMembers = RunEveryGeneratedMember(type, Catalogue.Entries.Select(e => e.Name));
        Assert.True(checkedMembers >= Catalogue.Entries.Length * 4, $"only {checkedMembers} members were run");
    }

    /// <summary>
    /// Calls every public static member whose name starts with one of <paramref name="activations"/>, except the
    /// user's own scalar method, with every special value: scalar members one by one, span members on a span of
    /// 67 elements (a vector path and a tail) holding all of them. Hyperparameters get 0.5. Returns how many ran.
    /// </summary>
    private static int RunEveryGeneratedMember(Type type, IEnumerable<string> activations)
    {
        var names = activations.ToHashSet();
        int ran = 0;
        float[] input = Enumerable.Range(0, 67).Select(i => Special[i % Special.Length]).ToArray();
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (!names.Any(n => method.Name.StartsWith(n, StringComparison.Ordinal)) || method.GetCustomAttributes().Any(a => a.GetType().Name == "ActivationAttribute"))
            {
                continue; // the user's own method: its exceptions are the user's
            }

            var parameters = method.GetParameters();
            if (parameters[0].ParameterType == typeof(float))
            {
                foreach (float z in Special)
                {
                    Invoke(method, new object[] { z }.Concat(parameters.Skip(1).Select(_ => (object)0.5f)).ToArray(), z);
                }
            }
            else if (parameters[0].ParameterType == typeof(ReadOnlySpan<float>) && method.ReturnType == typeof(void))
            {
                bool backward = parameters.Length >= 3 && parameters[1].ParameterType == typeof(ReadOnlySpan<float>);
                if (backward && parameters.Length == 3)
                {
                    AsDelegate<SpanBackward<float>>(method)(input, input, new float[input.Length]);
                }
                else if (!backward && parameters.Length == 2)
                {
                    AsDelegate<SpanMap<float>>(method)(input, new float[input.Length]);
                }
                else if (!backward && parameters.Length == 3)
                {
                    AsDelegate<SpanMapWith<float>>(method)(input, new float[input.Length], 0.5f);
                }
                else
                {
                    continue;
                }
            }
            else
            {
                continue;
            }

            ran++;
        }

        return ran;
    }

    private static TDelegate AsDelegate<TDelegate>(MethodInfo method)
        where TDelegate : Delegate => method.CreateDelegate<TDelegate>();

    private static void Invoke(MethodInfo method, object[] arguments, float z)
    {
        try
        {
            method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e)
        {
            Assert.Fail($"{method.Name}({z:R}) threw {e.InnerException}");
        }
    }
}
