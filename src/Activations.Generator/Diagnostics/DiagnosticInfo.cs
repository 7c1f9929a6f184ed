using System.Linq;
using Activations.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Activations.Generator.Diagnostics
{
    /// <summary>Where a diagnostic points, as plain values (a <see cref="Location"/> would pin the syntax tree).</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo? From(Location? location) =>
            location is null || location.SourceTree is null
                ? null
                : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

        public static LocationInfo? From(SyntaxNode? node) => From(node?.GetLocation());

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
    }

    /// <summary>A diagnostic as an equatable value: descriptor id, location and message arguments.</summary>
    internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new(descriptor.Id, location, arguments.ToEquatableArray());

        public Diagnostic ToDiagnostic() =>
            Diagnostic.Create(DiagnosticDescriptors.ById[DescriptorId], Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Arguments.ToArray<object>());
    }
}
