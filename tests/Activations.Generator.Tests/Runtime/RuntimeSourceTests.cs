using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests.Runtime;

/// <summary>
/// The runtime's per-width files are one piece of code written at three widths (C# cannot be generic over
/// the vector width without losing the inlining): they must stay the same code.
/// </summary>
public class RuntimeSourceTests
{
    [Theory]
    [InlineData("Elementwise")]
    [InlineData("VectorMath")]
    public void The_three_widths_are_the_same_code(string type)
    {
        string folder = Path.Combine(DotnetCli.RepositoryRoot, "src", "Activations", "Kernels");
        string widest = File.ReadAllText(Path.Combine(folder, $"{type}.Vector512.cs"));
        foreach (string width in new[] { "256", "128" })
        {
            string other = File.ReadAllText(Path.Combine(folder, $"{type}.Vector{width}.cs"));
            Assert.Equal(widest.Replace("512", width, StringComparison.Ordinal), other);
        }
    }
}
