using System.Globalization;
using System.Xml.Linq;
using Activations.Sample;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var catalogue = new (string Name, Func<float, float> Forward, Func<float, float> Derivative, Func<float, float>? FromOutput)[]
{
    ("Sigmoid", Act.Sigmoid, Act.SigmoidDerivative, Act.SigmoidDerivativeFromOutput),
    ("Tanh", Act.Tanh, Act.TanhDerivative, Act.TanhDerivativeFromOutput),
    ("Relu", Act.Relu, Act.ReluDerivative, Act.ReluDerivativeFromOutput),
    ("LeakyRelu", Act.LeakyRelu, Act.LeakyReluDerivative, Act.LeakyReluDerivativeFromOutput),
    ("Elu", Act.Elu, Act.EluDerivative, Act.EluDerivativeFromOutput),
    ("Softplus", Act.Softplus, Act.SoftplusDerivative, Act.SoftplusDerivativeFromOutput),
    ("Swish", Act.Swish, Act.SwishDerivative, null),
    ("Gelu", Act.Gelu, Act.GeluDerivative, null),
    ("Mish", Act.Mish, Act.MishDerivative, null),
    ("HardTanh", Act.HardTanh, Act.HardTanhDerivative, Act.HardTanhDerivativeFromOutput),
    ("Relu6", Act.Relu6, Act.Relu6Derivative, Act.Relu6DerivativeFromOutput),
};

var docs = GeneratedDocs.Load();
float[] points = { -100f, -3f, -1f, 0f, 1f, 3f, 100f };

Console.WriteLine("Activations: derivatives generated at compile time from the functions in Act.cs");
Console.WriteLine();
foreach (var (name, forward, derivative, fromOutput) in catalogue)
{
    Console.WriteLine($"{name}");
    Console.WriteLine($"  derivative    {docs.Formula(name + "Derivative")}");
    Console.WriteLine($"  from output   {(fromOutput is null ? "none: the output does not determine the slope" : docs.Formula(name + "DerivativeFromOutput"))}");
    Console.WriteLine($"  {"z",8} {"g(z)",12} {"g′(z)",12} {"g′ from y",12}");
    foreach (float z in points)
    {
        float y = forward(z);
        string viaOutput = fromOutput is null ? "—" : Format(fromOutput(y));
        Console.WriteLine($"  {z,8:0.###} {Format(y),12} {Format(derivative(z)),12} {viaOutput,12}");
    }

    Console.WriteLine();
}

// The same functions as span kernels: SIMD forward, derivative and the fused backward pass.
var batch = Enumerable.Range(0, 1_000_000).Select(i => (i - 500_000) / 50_000f).ToArray();
var outputs = new float[batch.Length];
var gradOutput = Enumerable.Repeat(1f, batch.Length).ToArray();
var gradInput = new float[batch.Length];
Act.Sigmoid(batch, outputs);
Act.SigmoidBackwardFromOutput(outputs, gradOutput, gradInput);
double largest = 0;
for (int i = 0; i < batch.Length; i++)
{
    largest = Math.Max(largest, Math.Abs(gradInput[i] - Act.SigmoidDerivative(batch[i])));
}

Console.WriteLine($"Batch: Sigmoid and SigmoidBackwardFromOutput over {batch.Length:N0} values, z in [-10, 10): " +
    $"largest difference from the scalar derivative {largest:0.###e+0}");

static string Format(float value) => value.ToString("0.######", CultureInfo.InvariantCulture);

/// <summary>Reads the one-line math the generator wrote into each member's XML doc.</summary>
internal sealed class GeneratedDocs
{
    private readonly Dictionary<string, string> summaries;

    private GeneratedDocs(Dictionary<string, string> summaries) => this.summaries = summaries;

    public static GeneratedDocs Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Activations.Sample.xml");
        if (!File.Exists(path))
        {
            return new GeneratedDocs(new Dictionary<string, string>());
        }

        var members = XDocument.Load(path).Descendants("member");
        return new GeneratedDocs(members.ToDictionary(
            m => (string)m.Attribute("name")!,
            m => string.Concat(m.Element("summary")?.Nodes().Select(n => n is XElement e ? (string?)e.Attribute("cref") ?? e.Value : n.ToString()) ?? Array.Empty<string>()).Trim()));
    }

    public string Formula(string member)
    {
        string key = $"M:Activations.Sample.Act.{member}(System.Single)";
        if (!summaries.TryGetValue(key, out var summary))
        {
            return "(documentation file not found)";
        }

        int colon = summary.IndexOf(": ", StringComparison.Ordinal);
        return System.Net.WebUtility.HtmlDecode(colon >= 0 ? summary[(colon + 2)..].TrimEnd('.') : summary);
    }
}
