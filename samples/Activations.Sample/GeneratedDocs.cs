using System.Xml.Linq;

namespace Activations.Sample;

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

    /// <summary>The formula of a scalar member of <see cref="Act"/>, e.g. <c>SigmoidDerivative</c>, of <paramref name="parameters"/> floats.</summary>
    public string Formula(string member, int parameters = 1)
    {
        string key = $"M:Activations.Sample.Act.{member}({string.Join(",", Enumerable.Repeat("System.Single", parameters))})";
        if (!summaries.TryGetValue(key, out var summary))
        {
            return "(documentation file not found)";
        }

        int colon = summary.IndexOf(": ", StringComparison.Ordinal);
        return System.Net.WebUtility.HtmlDecode(colon >= 0 ? summary[(colon + 2)..].TrimEnd('.') : summary);
    }
}
