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

        /// <summary>
        /// A location in the compilation's own tree where it still has the file, so that <c>#pragma warning
        /// disable</c> and editor squiggles apply; an external-file location otherwise.
        /// </summary>
        public Location ToLocation(IReadOnlyDictionary<string, SyntaxTree>? trees = null) =>
            trees is not null && trees.TryGetValue(FilePath, out var tree) && Span.End <= tree.Length
                ? Location.Create(tree, Span)
                : Location.Create(FilePath, Span, LineSpan);
    }

    /// <summary>A diagnostic as an equatable value: descriptor id, location and message arguments.</summary>
    internal sealed record DiagnosticInfo(string DescriptorId, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new(descriptor.Id, location, arguments.ToEquatableArray());

        public Diagnostic ToDiagnostic(IReadOnlyDictionary<string, SyntaxTree>? trees = null) =>
            Diagnostic.Create(DiagnosticDescriptors.ById[DescriptorId], Location?.ToLocation(trees) ?? Microsoft.CodeAnalysis.Location.None, Arguments.ToArray<object>());
    }
}
