using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Activations.Generator.Symbolic
{
    /// <summary>Writes an expression as readable math for doc comments: <c>y·(1 − y)</c>, <c>e^(−z)</c>, <c>√z</c>.</summary>
    internal static class MathNotation
    {
        /// <summary>Formats <paramref name="e"/>; constants of a float activation print as the float they are.</summary>
        /// <summary>
        /// The formula when it fits in <paramref name="maxLength"/> characters, else null. A tree too large to
        /// fit is rejected by counting its nodes, before any text is built: printed in full, a body with
        /// shared locals can be exponentially longer than the body.
        /// </summary>
        public static string? FormatWithin(Expr e, string variable, bool isDouble, int maxLength)
        {
            if (TreeSize(e, maxLength) > maxLength)
            {
                return null;
            }

            string text = Format(e, variable, isDouble);
            return text.Length <= maxLength ? text : null;
        }

        /// <summary>The node count of the expression written out as a tree, saturating just above the limit.</summary>
        private static int TreeSize(Expr root, int limit)
        {
            var sizes = new Dictionary<Expr, int>();
            return Size(root);

            int Size(Expr node)
            {
                if (sizes.TryGetValue(node, out int known))
                {
                    return known;
                }

                int total = 1;
                foreach (var child in node.Children)
                {
                    total = System.Math.Min(limit + 1, total + Size(child));
                }

                sizes[node] = total;
                return total;
            }
        }

        public static string Format(Expr e, string variable, bool isDouble = true)
        {
            var previous = singlePrecision;
            singlePrecision = !isDouble;
            try
            {
                return Write(e, variable, 0);
            }
            finally
            {
                singlePrecision = previous;
            }
        }

        [System.ThreadStatic]
        private static bool singlePrecision;

        // Precedence: 0 top (ternary), 1 or, 2 and, 3 comparison, 4 sum, 5 product, 6 unary/power, 7 atom.
        private static string Write(Expr e, string v, int context)
        {
            string text;
            int own;
            switch (e)
            {
                case Constant c:
                    text = Number(c.Value);
                    own = c.Value < 0 ? 4 : 7;
                    break;
                case Variable:
                    text = v;
                    own = 7;
                    break;
                case Parameter p:
                    text = p.Name;
                    own = 7;
                    break;
                case Sum sum:
                {
                    var sb = new StringBuilder();
                    foreach (var term in OrderForReading(sum))
                    {
                        bool negative = Algebra.IsNegated(term, out var magnitude);
                        if (sb.Length == 0)
                        {
                            sb.Append(negative ? "−" + Write(magnitude, v, 5) : Write(term, v, 4));
                        }
                        else
                        {
                            sb.Append(negative ? " − " : " + ").Append(Write(negative ? magnitude : term, v, 5));
                        }
                    }

                    text = sb.ToString();
                    own = 4;
                    break;
                }

                case Product product:
                {
                    var (coefficient, numerator, denominator) = AsFraction(product);
                    string top = string.Join("·", numerator.Select(f => Write(f, v, 5)));
                    if (coefficient == -1 && top.Length > 0)
                    {
                        top = "−" + top;
                    }
                    else if (coefficient != 1 || top.Length == 0)
                    {
                        top = top.Length == 0 ? Number(coefficient) : Number(coefficient) + "·" + top;
                    }

                    text = denominator.Count == 0
                        ? top
                        : top + "/" + (denominator.Count == 1 ? Write(denominator[0], v, 6) : "(" + string.Join("·", denominator.Select(f => Write(f, v, 5))) + ")");
                    own = coefficient < 0 ? 4 : 5;
                    break;
                }

                case Power power when power.Exponent.IsConstant(0.5):
                    text = "√" + Write(power.Base, v, 7);
                    own = 6;
                    break;
                case Power power when power.Exponent is Constant { Value: < 0 } negative:
                    text = "1/" + Write(Algebra.Pow(power.Base, Algebra.Num(-negative.Value)), v, 6);
                    own = 5;
                    break;
                case Power power:
                    text = Write(power.Base, v, 7) + Superscript(power.Exponent, v);
                    own = 6;
                    break;
                case Call { Function: MathFunction.Exp } exp:
                    text = "e^" + Write(exp.Argument, v, 7);
                    own = 6;
                    break;
                case Call call:
                    text = FunctionName(call.Function) + "(" + Write(call.Argument, v, 0) + ")";
                    own = 7;
                    break;
                case ActivationCall activation:
                    text = activation.Target.Name + (activation.Derivative ? "′" : string.Empty)
                        + "(" + string.Join(", ", activation.Arguments.Select(a => Write(a, v, 0))) + ")";
                    own = 7;
                    break;
                case Piecewise piecewise:
                {
                    var sb = new StringBuilder();
                    for (int i = 0; i < piecewise.BranchCount; i++)
                    {
                        sb.Append(Write(piecewise.Conditions[i], v, 1)).Append(" ? ").Append(Write(piecewise.Values[i], v, 1)).Append(" : ");
                    }

                    sb.Append(Write(piecewise.Otherwise, v, 0));
                    text = sb.ToString();
                    own = 0;
                    break;
                }

                case Comparison comparison:
                    text = Write(comparison.Left, v, 4) + " " + Operator(comparison.Op) + " " + Write(comparison.Right, v, 4);
                    own = 3;
                    break;
                case Logic { Op: LogicOp.Not } not:
                    text = "¬" + Write(not.Operands[0], v, 7);
                    own = 6;
                    break;
                case Logic logic:
                    bool and = logic.Op == LogicOp.And;
                    text = string.Join(and ? " ∧ " : " ∨ ", logic.Operands.Select(o => Write(o, v, and ? 3 : 2)));
                    own = and ? 2 : 1;
                    break;
                case BoolConstant b:
                    text = b.Value ? "true" : "false";
                    own = 7;
                    break;
                default:
                    text = e.GetType().Name;
                    own = 7;
                    break;
            }

            return own < context ? "(" + text + ")" : text;
        }

        /// <summary>Positive terms first, then constants, then the subtracted ones: z + 1, 1 − y.</summary>
        public static IEnumerable<Expr> OrderForReading(Sum sum) =>
            sum.Terms
                .Select((t, i) => (t, i))
                .OrderBy(x => Algebra.IsNegated(x.t, out _) ? 2 : 0)
                .ThenBy(x => x.i)
                .Select(x => x.t);

        /// <summary>
        /// A product as a fraction for writing: its constant coefficient, the factors above the line, and the
        /// factors below it (x^−n written as x^n). Every writer (math, scalar C#, vector C#) reads products so.
        /// </summary>
        public static (double Coefficient, List<Expr> Numerator, List<Expr> Denominator) AsFraction(Product product)
        {
            var (coefficient, _) = Algebra.SplitCoefficient(product);
            var numerator = product.Factors.Where(f => f is not Constant && !IsDenominator(f)).ToList();
            var denominator = product.Factors.Where(IsDenominator).Select(Algebra.Reciprocal).ToList();
            return (coefficient, numerator, denominator);
        }

        private static bool IsDenominator(Expr f) => f is Power { Exponent: Constant { Value: < 0 } };

        public static string Operator(CompareOp op) => op switch
        {
            CompareOp.Less => "<",
            CompareOp.LessOrEqual => "≤",
            CompareOp.Greater => ">",
            CompareOp.GreaterOrEqual => "≥",
            CompareOp.Equal => "=",
            _ => "≠",
        };

        private static string FunctionName(MathFunction f) => MathFunctions.Of(f).Notation;

        private static string Superscript(Expr exponent, string v)
        {
            if (exponent is Constant c && Algebra.IsInteger(c.Value) && c.Value >= 0 && c.Value < 10)
            {
                return "⁰¹²³⁴⁵⁶⁷⁸⁹"[(int)c.Value].ToString();
            }

            return "^" + Write(exponent, v, 7);
        }

        private static string Number(double value)
        {
            string text = singlePrecision
                ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
                : value.ToString("R", CultureInfo.InvariantCulture);
            return value < 0 ? "−" + text.Substring(1) : text;
        }
    }
}
