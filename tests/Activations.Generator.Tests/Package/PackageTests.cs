using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using Activations.Generator.Tests.Infrastructure;

namespace Activations.Generator.Tests.Package;

/// <summary>
/// Packs the <c>Activations</c> package once, with a version no cache has seen, into a folder feed.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        Work = Directory.CreateTempSubdirectory("activations-package-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Work, "feed")).FullName;
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        string project = Path.Combine(DotnetCli.RepositoryRoot, "src", "Activations.Package", "Activations.Package.csproj");
        var (exitCode, output) = DotnetCli.Run(
            $"pack \"{project}\" -c Release -o \"{Feed}\" -p:Version={Version} -p:ContinuousIntegrationBuild=true",
            DotnetCli.RepositoryRoot);
        PackOutput = output;
        PackExitCode = exitCode;
        PackagePath = Path.Combine(Feed, $"Activations.{Version}.nupkg");
    }

    public string Work { get; }

    public string Feed { get; }

    public string Version { get; }

    public string PackagePath { get; }

    public int PackExitCode { get; }

    public string PackOutput { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not a test failure.
        }
    }
}

/// <summary>
/// The package as a user meets it: restored from a folder feed into brand-new projects for net8.0 and
/// net10.0, built by the real compiler (ACT001 must show for the ReLU), run, and its derivatives printed.
/// </summary>
public class PackageTests : IClassFixture<PackedPackage>
{
    private readonly PackedPackage package;

    public PackageTests(PackedPackage package)
    {
        this.package = package;
        Assert.True(package.PackExitCode == 0, "dotnet pack failed:\n" + package.PackOutput);
    }

    [Fact]
    public void The_package_holds_the_generator_analyzer_code_fixes_and_attribute()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("analyzers/dotnet/cs/Activations.Generator.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/Activations.CodeFixes.dll", entries);
        Assert.Contains("lib/netstandard2.0/Activations.dll", entries);
        Assert.Contains("lib/netstandard2.0/Activations.xml", entries);
        Assert.Contains("lib/net8.0/Activations.dll", entries);
        Assert.Contains("lib/net8.0/Activations.xml", entries);
        Assert.Contains("README.md", entries);

        // Only our own assemblies: Roslyn comes with the compiler, not with us.
        Assert.Equal(4, entries.Count(e => e.EndsWith(".dll", StringComparison.Ordinal)));

        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal("Activations", Element("id"));
        Assert.Equal(package.Version, Element("version"));
        Assert.Equal("MIT", Element("license"));
        Assert.Equal("README.md", Element("readme"));
        Assert.False(string.IsNullOrWhiteSpace(Element("releaseNotes")));
        Assert.False(string.IsNullOrWhiteSpace(Element("description")));
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? string.Empty);

        // The repository the help links point into is the one the package names, and the pages ship with it.
        string props = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Directory.Build.props"));
        string repositoryUrl = props.Split("<RepositoryUrl>")[1].Split("</RepositoryUrl>")[0];
        Assert.Equal(repositoryUrl, (string?)repository.Attribute("url"));
        Assert.Equal(repositoryUrl, Element("projectUrl"));
        Assert.Contains("docs/diagnostics/ACT001.md", entries);
        Assert.Contains("docs/diagnostics/ACT109.md", entries);
        Assert.Empty(metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(d => d.Descendants()));

        // Sources are embedded in the shipped assemblies, so a debugger can step into them.
        using var generator = new MemoryStream();
        using (var stream = zip.GetEntry("analyzers/dotnet/cs/Activations.Generator.dll")!.Open())
        {
            stream.CopyTo(generator);
        }

        generator.Position = 0;
        using var reader = new System.Reflection.PortableExecutable.PEReader(generator);
        var embedded = reader.ReadDebugDirectory().Single(d => d.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.EmbeddedPortablePdb);
        using var pdb = reader.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        var pdbReader = pdb.GetMetadataReader();
        Assert.Contains(pdbReader.Documents, d => pdbReader.GetString(pdbReader.GetDocument(d).Name).EndsWith("ActivationGenerator.cs", StringComparison.Ordinal));
        Assert.NotEmpty(pdbReader.CustomDebugInformation);
    }

    [Theory]
    [InlineData("net8.0")]
    [InlineData("net10.0")]
    public void A_new_project_restores_builds_warns_and_runs(string targetFramework)
    {
        string project = Directory.CreateDirectory(Path.Combine(package.Work, "consumer-" + targetFramework)).FullName;
        WriteConsumer(project, targetFramework);
        var environment = new Dictionary<string, string>
        {
            // A private packages folder: a same-version re-pack would otherwise come from the machine's cache.
            ["NUGET_PACKAGES"] = Path.Combine(package.Work, "packages"),
        };

        var (buildExit, build) = DotnetCli.Run("build -c Release", project, environment);
        Assert.True(buildExit == 0, $"build for {targetFramework} failed:\n{build}");
        Assert.Contains("warning ACT001", build, StringComparison.Ordinal);
        Assert.Contains("'Relu'", build.Split('\n').First(l => l.Contains("warning ACT001", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain("CS8785", build, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(package.Work, "packages", "activations", package.Version, $"activations.{package.Version}.nupkg")), "the package did not come from the private folder");

        var (runExit, run) = DotnetCli.Run($"bin/Release/{targetFramework}/Consumer.dll", project, environment);
        Assert.True(runExit == 0, $"run for {targetFramework} failed:\n{run}");
        var printed = run.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(" = "))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);

        static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));
        var expected = new Dictionary<string, double>
        {
            ["SigmoidDerivative(0)"] = 0.25,
            ["SigmoidDerivative(-3)"] = Sigmoid(-3) * (1 - Sigmoid(-3)),
            ["SigmoidDerivativeFromOutput(0.9)"] = 0.9 * 0.1,
            ["TanhDerivative(1)"] = 1 - Math.Tanh(1) * Math.Tanh(1),
            ["ReluDerivative(-1)"] = 0,
            ["ReluDerivative(3)"] = 1,
            ["ReluDerivative(0)"] = 0,
            ["sum of SigmoidBackwardFromOutput over [-4, 4)"] = Enumerable.Range(0, 64).Sum(i => { double s = Sigmoid(-4 + i / 8.0); return 0.5 * s * (1 - s); }),
            // 1,048,576 floats (4 MiB, stored around the caches) against the scalar method: the largest difference.
            ["largest difference of Sigmoid(span) from Sigmoid(float) over 2^20 elements"] = 0,
            ["sum of SquaredRelu over [-4, 4)"] = Enumerable.Range(0, 64).Select(i => -4 + i / 8.0).Where(v => v > 0).Sum(v => v * v),
        };
        foreach (var (name, value) in expected)
        {
            Assert.True(printed.TryGetValue(name, out var text), $"the program did not print {name}:\n{run}");
            double actual = double.Parse(text, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(actual - value) <= 1e-5 * Math.Max(1, Math.Abs(value)), $"{name} = {actual}, expected {value} ({targetFramework})");
        }

        // The kernels ran on the package's runtime assembly, the one for net8.0 and later.
        Assert.Contains("kernel runtime = Activations.Kernels.Elementwise in Activations", run, StringComparison.Ordinal);
        string assets = File.ReadAllText(Path.Combine(project, "obj", "project.assets.json"));
        Assert.Contains("\"lib/net8.0/Activations.dll\"", assets, StringComparison.Ordinal);
    }

    private void WriteConsumer(string folder, string targetFramework)
    {
        // Stops MSBuild looking further up for props files of whatever folder the temp folder is in.
        File.WriteAllText(Path.Combine(package.Work, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(package.Work, "Directory.Packages.props"), "<Project />");
        string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="activations-under-test" value="{package.Feed}" />
              </packageSources>
              <!-- The reference packs the machine already has; our package is not among them (its version is new). -->
              <fallbackPackageFolders>
                <add key="machine" value="{machinePackages}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{targetFramework}</TargetFramework>
                <Nullable>enable</Nullable>
                <!-- Only the .NET 10 runtime is on the machine; a net8.0 program runs on it. -->
                <RollForward>Major</RollForward>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Activations" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using System;
            using System.Globalization;
            using System.Linq;
            using System.Runtime.Intrinsics;
            using Activations;
            using Activations.Kernels;

            static string Show(float value) => value.ToString("R", CultureInfo.InvariantCulture);

            Console.WriteLine($"SigmoidDerivative(0) = {Show(Act.SigmoidDerivative(0f))}");
            Console.WriteLine($"SigmoidDerivative(-3) = {Show(Act.SigmoidDerivative(-3f))}");
            Console.WriteLine($"SigmoidDerivativeFromOutput(0.9) = {Show(Act.SigmoidDerivativeFromOutput(0.9f))}");
            Console.WriteLine($"TanhDerivative(1) = {Show(Act.TanhDerivative(1f))}");
            Console.WriteLine($"ReluDerivative(-1) = {Show(Act.ReluDerivative(-1f))}");
            Console.WriteLine($"ReluDerivative(3) = {Show(Act.ReluDerivative(3f))}");
            Console.WriteLine($"ReluDerivative(0) = {Show(Act.ReluDerivative(0f))}");

            float[] z = Enumerable.Range(0, 64).Select(i => -4f + i / 8f).ToArray();
            float[] y = new float[z.Length];
            float[] gradOutput = Enumerable.Repeat(0.5f, z.Length).ToArray();
            float[] gradInput = new float[z.Length];
            Act.Sigmoid(z, y);
            Act.SigmoidBackwardFromOutput(y, gradOutput, gradInput);
            Console.WriteLine($"sum of SigmoidBackwardFromOutput over [-4, 4) = {Show(gradInput.Sum())}");

            float[] large = Enumerable.Range(0, 1 << 20).Select(i => -20f + 40f * i / (1 << 20)).ToArray();
            float[] largeOut = new float[large.Length];
            Act.Sigmoid(large, largeOut);
            float largest = Enumerable.Range(0, large.Length).Max(i => Math.Abs(largeOut[i] - Act.Sigmoid(large[i])));
            Console.WriteLine($"largest difference of Sigmoid(span) from Sigmoid(float) over 2^20 elements = {(largest <= 2e-7f ? 0 : largest)}");

            // A user's own operator through the public loops.
            float[] squared = new float[z.Length];
            Elementwise.Map(z, squared, new SquaredRelu());
            Console.WriteLine($"sum of SquaredRelu over [-4, 4) = {Show(squared.Sum())}");
            Console.WriteLine($"kernel runtime = {typeof(Elementwise).FullName} in {typeof(Elementwise).Assembly.GetName().Name}");

            readonly struct SquaredRelu : IElementwiseOperator<float>
            {
                public bool HasParameters => false;
                public bool IsCheap => true;
                public float Apply(float x) => x > 0 ? x * x : 0;
                public Vector128<float> Apply(Vector128<float> x) { var r = Vector128.Max(x, Vector128<float>.Zero); return r * r; }
                public Vector256<float> Apply(Vector256<float> x) { var r = Vector256.Max(x, Vector256<float>.Zero); return r * r; }
                public Vector512<float> Apply(Vector512<float> x) { var r = Vector512.Max(x, Vector512<float>.Zero); return r * r; }
            }

            public static partial class Act
            {
                [Activation] public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

                [Activation] public static float Tanh(float z) => MathF.Tanh(z);

                [Activation] public static float Relu(float z) => MathF.Max(0f, z);
            }
            """);
    }
}
