using System.Globalization;
using Activations.Generator.Emit;
using Activations.Generator.Parsing;
using Activations.Generator.Simplification;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Activations.Generator.Analysis
{
    /// <summary>One ACT002: a subexpression of the user's body that is not finite where its true value is, and its stable spelling.</summary>
    /// <param name="Syntax">The subexpression, where the warning points and what the fix replaces.</param>
    /// <param name="Problem">"overflows to ∞", "overflows to −∞" or "is NaN".</param>
    /// <param name="Range">Where, in the user's variable: <c>z &gt; 88.7</c>, <c>z &lt; −88.7 and z &gt; 88.7</c>.</param>
    /// <param name="TrueValue">One point of that range with its true value: <c>at z = 1000 it is 1000</c>.</param>
    /// <param name="Replacement">The stable spelling, C# in the user's style, to put in place of <paramref name="Syntax"/>.</param>
    internal sealed record StabilityFinding(ExpressionSyntax Syntax, string Problem, string Range, string TrueValue, string Replacement);

    /// <summary>
    /// The one way ACT002 is decided, shared by the analyzer and its code fix. Each subexpression of the body,
    /// as the parser read it (locals inlined), is evaluated in the method's own element type on a grid over
    /// [−1000, 1000], and compared with its stable form (the same rewrites the kernels use), evaluated in double.
    /// A finding is a range where the user's arithmetic gives ∞ or NaN, the true value is a finite number of
    /// the element type, and the stable form, written back as scalar C#, computes it: so every warning has a fix
    /// that works, and a spelling that is already stable has no stable form to differ from. Nothing depends on
    /// names or on matching a known formula; only on the expression and on the numbers.
    /// </summary>
    internal static class StabilityAnalysis
    {
        /// <summary>The diagnostic property that carries the replacement text to the code fix.</summary>
        public const string ReplacementKey = "Replacement";

        private const double Limit = 1000;

        /// <summary>
        /// The grid: steps of 4 in [−120, 120], where float's exponentials overflow, and of 40 beyond. Overflow
        /// ranges are half-lines or wide bands; bisection then finds their ends to 40 binary digits.
        /// </summary>
        private static readonly double[] Grid = Enumerable.Range(-25, 51).Select(i => i * 40.0)
            .Where(z => Math.Abs(z) > 120)
            .Concat(Enumerable.Range(-30, 61).Select(i => i * 4.0))
            .OrderBy(z => z)
            .ToArray();

        /// <summary>
        /// The findings of a method parsed with its subexpressions (<see cref="ActivationParser.ParseWithSubexpressions"/>),
        /// innermost subexpressions first; empty when it cannot be analysed.
        /// </summary>
        public static IReadOnlyList<StabilityFinding> Find(Model.ParsedActivation parsed, IReadOnlyList<Subexpression> subexpressions, CancellationToken cancellationToken)
        {
            if (parsed.Body is not { } body || subexpressions.Count == 0 || !TryDefaults(parsed.Signature.HyperparameterDefaults, out var parameters))
            {
                return Array.Empty<StabilityFinding>();
            }

            try
            {
                return DeepStack.Run(body, () => FindIn(subexpressions, parsed.Signature, parameters, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return Array.Empty<StabilityFinding>(); // the generator reports internal failures (ACT100); analysis stays silent (no AD0001)
            }
        }

        private static IReadOnlyList<StabilityFinding> FindIn(IReadOnlyList<Subexpression> subexpressions, Model.ActivationSignature signature, double[] parameters, CancellationToken cancellationToken)
        {
            var findings = new List<StabilityFinding>();

            // A node parsed more than once (the statements after an if, parsed in each branch) is one candidate
            // with a reading per path.
            var candidates = subexpressions
                .Where(s => s.Syntax is InvocationExpressionSyntax or BinaryExpressionSyntax or ConditionalExpressionSyntax or PrefixUnaryExpressionSyntax)
                .GroupBy(s => s.Syntax)
                .OrderBy(g => g.Key.Span.Length);
            foreach (var readings in candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var node = (ExpressionSyntax)readings.Key;

                // Innermost first: a subexpression around one already reported is fixed by that fix.
                if (findings.Any(f => node.Span.Contains(f.Syntax.Span)))
                {
                    continue;
                }

                var distinct = readings.Select(r => r.Value).Distinct().ToList();
                if (distinct.Count == 1 && Judge(distinct[0], readings.Select(r => r.Condition).ToList(), signature, parameters, node) is { } finding)
                {
                    findings.Add(finding);
                }
            }

            return findings;
        }

        /// <param name="value">The subexpression.</param>
        /// <param name="conditions">Where it is evaluated: a point counts if any of these holds there.</param>
        private static StabilityFinding? Judge(Expr value, IReadOnlyList<Expr> conditions, Model.ActivationSignature signature, double[] parameters, ExpressionSyntax node)
        {
            if (!value.ContainsVariable || ExprRewriter.Contains(value, e => e is ActivationCall))
            {
                return null; // a call's body is another method's, judged there
            }

            if (!ExprRewriter.Contains(value, e => e is Call { Function: MathFunction.Exp }))
            {
                return null; // every stable rewrite is of exponentials: without one there is nothing to offer
            }

            var stable = Stabilizer.StabilizeForKernels(value);
            if (stable.Equals(value))
            {
                return null;
            }

            var written = ScalarSpelling(stable);
            bool single = !signature.IsDouble;
            var users = new Evaluator(ActivationLibrary.Empty, single);
            var exact = new Evaluator(ActivationLibrary.Empty);
            double largest = single ? float.MaxValue : double.MaxValue;

            bool Unstable(double z, out double naive, out double truth)
            {
                naive = truth = 0;
                if (!conditions.Any(c => exact.Evaluate(c, z, parameters) != 0))
                {
                    return false; // not evaluated at z
                }

                naive = users.Evaluate(value, z, parameters);
                if (IsFinite(naive))
                {
                    return false; // the common case, settled by one evaluation
                }

                truth = exact.Evaluate(stable, z, parameters);
                if (!IsFinite(truth) || Math.Abs(truth) > largest)
                {
                    return false;
                }

                double repaired = users.Evaluate(written, z, parameters);
                return IsFinite(repaired) && Math.Abs(repaired - truth) <= 1e-4 * Math.Abs(truth) + 1e-30;
            }

            var ranges = new List<(double From, double To)>();
            double? start = null;
            double previous = Grid[0];
            foreach (double z in Grid)
            {
                bool unstable = Unstable(z, out _, out _);
                if (unstable && start is null)
                {
                    start = z == Grid[0] ? z : Boundary(previous, z);
                }
                else if (!unstable && start is not null)
                {
                    ranges.Add((start.Value, Boundary(z, previous)));
                    start = null;
                }

                previous = z;
            }

            if (start is not null)
            {
                ranges.Add((start.Value, Grid[Grid.Length - 1]));
            }

            if (ranges.Count == 0)
            {
                return null;
            }

            // The point shown: the far end of the widest range, where the true value is plainest.
            var widest = ranges.OrderByDescending(r => r.To - r.From).ThenByDescending(r => r.To).First();
            double shown = Math.Abs(widest.To) >= Math.Abs(widest.From) ? widest.To : widest.From;
            Unstable(shown, out double naiveShown, out double truthShown);
            string variable = signature.VariableName;
            string problem = double.IsNaN(naiveShown) ? "is NaN" : naiveShown > 0 ? "overflows to ∞" : "overflows to −∞";
            string range = string.Join(" and ", ranges.Select(r => Describe(r, variable)));
            string trueValue = $"at {variable} = {Number(shown)} it is {Number(truthShown)}";
            var writer = new CSharpExpressionWriter(signature.IsDouble, variable, signature.HyperparameterNames.ToList(), string.Empty, new Dictionary<Expr, string>(), MathTypeOf(node, signature.IsDouble));
            return new StabilityFinding(node, problem, range, trueValue, writer.Write(written));

            // Bisection between a stable point and an unstable one, to 3 significant digits and beyond.
            double Boundary(double stablePoint, double unstablePoint)
            {
                for (int i = 0; i < 40; i++)
                {
                    double middle = (stablePoint + unstablePoint) / 2;
                    if (Unstable(middle, out _, out _))
                    {
                        unstablePoint = middle;
                    }
                    else
                    {
                        stablePoint = middle;
                    }
                }

                return unstablePoint;
            }
        }

        /// <summary>
        /// The stable form written with scalar functions only: the kernels' softplus ln(1 + e^u) becomes
        /// u ≥ 0 ? u + ln(1 + e^(−u)) : ln(1 + e^u), whose exponentials are never of a positive number.
        /// </summary>
        private static Expr ScalarSpelling(Expr stable) => ExprRewriter.Rewrite(stable, after: node =>
            node is Call { Function: MathFunction.LogOnePlusExp, Argument: var u }
                ? Algebra.Piecewise(
                    Algebra.Compare(CompareOp.GreaterOrEqual, u, Constant.Zero),
                    Algebra.Add(u, Algebra.Log(Algebra.Add(Constant.One, Algebra.Exp(Algebra.Neg(u))))),
                    Algebra.Log(Algebra.Add(Constant.One, Algebra.Exp(u))))
                : node);

        /// <summary>The class the user's own calls in <paramref name="node"/> go through (<c>MathF</c>, <c>Math</c>, <c>System.MathF</c>), so the fix reads as theirs.</summary>
        private static string MathTypeOf(SyntaxNode node, bool isDouble)
        {
            foreach (var call in node.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
            {
                string owner = call.Expression is MemberAccessExpressionSyntax access ? access.Expression.ToString() : string.Empty;
                if (owner.EndsWith("Math", StringComparison.Ordinal) || owner.EndsWith("MathF", StringComparison.Ordinal))
                {
                    return owner;
                }
            }

            return isDouble ? "Math" : "MathF";
        }

        private static string Describe((double From, double To) range, string variable)
        {
            bool fromStart = range.From <= -Limit, toEnd = range.To >= Limit;
            return (fromStart, toEnd) switch
            {
                (true, true) => "every " + variable,
                (true, false) => $"{variable} < {Number(range.To)}",
                (false, true) => $"{variable} > {Number(range.From)}",
                _ => $"{Number(range.From)} < {variable} < {Number(range.To)}",
            };
        }

        /// <summary>Four significant digits, with the minus sign the messages use: 88.72, −709.8, 1000.</summary>
        private static string Number(double value) =>
            value.ToString("G4", CultureInfo.InvariantCulture).Replace("-", "−");

        private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);

        /// <summary>Hyperparameters at their defaults; a hyperparameter without one leaves the method unjudged (any value might be the user's).</summary>
        private static bool TryDefaults(IReadOnlyList<string> defaults, out double[] values)
        {
            values = new double[defaults.Count];
            for (int i = 0; i < defaults.Count; i++)
            {
                string text = defaults[i].TrimEnd('f', 'F', 'd', 'D', 'm', 'M');
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
