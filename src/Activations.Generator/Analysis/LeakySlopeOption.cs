using System.Globalization;

namespace Activations.Generator.Analysis
{
    /// <summary>
    /// The <c>.editorconfig</c> option <c>activations.leaky_slope</c>: the slope ACT001 suggests and its code
    /// fix writes. Read in one place so that the analyzer's message and the fix always agree.
    /// </summary>
    internal static class LeakySlopeOption
    {
        /// <summary>The .editorconfig key.</summary>
        public const string Key = "activations.leaky_slope";

        /// <summary>The slope when the option is not set (or is invalid).</summary>
        public const double Default = 0.01;

        /// <summary>
        /// The slope set by <paramref name="text"/>: an invariant-culture number strictly between 0 and 1.
        /// False (with <see cref="Default"/>) for anything else, including <c>0,2</c>, <c>0</c> and <c>1.5</c>.
        /// </summary>
        public static bool TryParse(string? text, out double slope)
        {
            slope = Default;
            if (text is null)
            {
                return false;
            }

            if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && value < 1)
            {
                slope = value;
                return true;
            }

            return false;
        }

        /// <summary>The option's text for a file, or null where .editorconfig does not set it.</summary>
        public static string? TextFor(Microsoft.CodeAnalysis.Diagnostics.AnalyzerOptions options, Microsoft.CodeAnalysis.SyntaxTree tree) =>
            options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(Key, out var text) ? text : null;

        /// <summary>The slope as the ACT001 message writes it: <c>0.01·z</c>.</summary>
        public static string Suggestion(double slope, string variable) =>
            slope.ToString("R", CultureInfo.InvariantCulture) + "·" + variable;
    }
}
