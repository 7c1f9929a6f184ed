using System.Text;

namespace Activations.Generator.Printing
{
    /// <summary>How tightly an operator binds, the C# scale (the math notation uses the same ranks).</summary>
    internal enum Precedence
    {
        Conditional,
        Or,
        And,
        Equality,
        Relational,
        Additive,
        Multiplicative,
        Unary,
        Primary,
    }

    /// <summary>The tokens of a printer's infix notation, and how its leading minus binds.</summary>
    /// <param name="Minus">The minus sign: <c>-</c> in C#, <c>−</c> in math.</param>
    /// <param name="Times">Between the factors of a product: <c> * </c> or <c>·</c>.</param>
    /// <param name="Divide">Before a denominator: <c> / </c> or <c>/</c>.</param>
    /// <param name="NegativeConstant">
    /// How a negative constant binds: as a unary operator in C# (<c>z * -2f</c>), as a subtraction in math (<c>z·(−2)</c>).
    /// </param>
    /// <param name="NegativeProduct">How a product with a negative coefficient binds.</param>
    /// <param name="NegatedFirstTerm">The context of what a leading minus applies to in a sum's first term.</param>
    internal sealed record Notation(string Minus, string Times, string Divide, Precedence NegativeConstant, Precedence NegativeProduct, Precedence NegatedFirstTerm);

    /// <summary>
    /// The precedence-aware core of every infix printer (the doc line's math, scalar C#): sums, products as
    /// fractions, conditionals, comparisons and logic are written here, each operand parenthesised only where its
    /// context binds tighter. A printer supplies its tokens and the spelling of leaves, calls and powers; the vector
    /// printer, whose operations are calls, shares <see cref="OrderForReading"/> and <see cref="AsFraction"/>.
    /// </summary>
    internal abstract class InfixPrinter
    {
        private readonly Notation notation;

        protected InfixPrinter(Notation notation) => this.notation = notation;

        /// <summary>The text of a constant of either sign, its sign written with <see cref="Notation.Minus"/>.</summary>
        protected abstract string Number(double value);

        protected abstract string Operator(CompareOp op);

        protected abstract string Operator(LogicOp op);

        /// <summary>Writes a leaf or a node whose spelling is the printer's own (variables, calls, powers).</summary>
        protected abstract (string Text, Precedence Precedence) WriteOwn(Expr e);

        /// <summary>A name the printer has for <paramref name="e"/> (a hoisted local), if any.</summary>
        protected virtual string? NameOf(Expr e) => null;

        /// <summary>Writes <paramref name="e"/> at the top level.</summary>
        public string Write(Expr e) => Write(e, Precedence.Conditional);

        /// <summary>Writes <paramref name="e"/> in a context of the given binding, parenthesised if it binds less tightly.</summary>
        protected string Write(Expr e, Precedence context, bool allowName = true)
        {
            if (allowName && NameOf(e) is { } name)
            {
                return name;
            }

            var (text, own) = WriteNode(e);
            return own < context ? "(" + text + ")" : text;
        }

        private (string Text, Precedence Precedence) WriteNode(Expr e)
        {
            switch (e)
            {
                case Constant c:
                    return (Number(c.Value), c.Value < 0 ? notation.NegativeConstant : Precedence.Primary);
                case Sum sum:
                    return (WriteSum(sum), Precedence.Additive);
                case Product product:
                    return WriteProduct(product);
                case Piecewise piecewise:
                {
                    var text = new StringBuilder();
                    for (int i = 0; i < piecewise.BranchCount; i++)
                    {
                        text.Append(Write(piecewise.Conditions[i], Precedence.Or)).Append(" ? ").Append(Write(piecewise.Values[i], Precedence.Or)).Append(" : ");
                    }

                    return (text.Append(Write(piecewise.Otherwise, Precedence.Conditional)).ToString(), Precedence.Conditional);
                }

                case Comparison comparison:
                {
                    var own = comparison.Op is CompareOp.Equal or CompareOp.NotEqual ? Precedence.Equality : Precedence.Relational;
                    return (Write(comparison.Left, own + 1) + " " + Operator(comparison.Op) + " " + Write(comparison.Right, own + 1), own);
                }

                case Logic { Op: LogicOp.Not } not:
                    return (Operator(LogicOp.Not) + Write(not.Operands[0], Precedence.Primary), Precedence.Unary);
                case Logic logic:
                {
                    var own = logic.Op == LogicOp.And ? Precedence.And : Precedence.Or;
                    return (string.Join(" " + Operator(logic.Op) + " ", logic.Operands.Select(o => Write(o, own + 1))), own);
                }

                case BoolConstant b:
                    return (b.Value ? "true" : "false", Precedence.Primary);
                default:
                    return WriteOwn(e);
            }
        }

        private string WriteSum(Sum sum)
        {
            var text = new StringBuilder();
            foreach (var term in OrderForReading(sum))
            {
                bool negative = Algebra.IsNegated(term, out var magnitude);
                if (text.Length == 0)
                {
                    text.Append(negative ? notation.Minus + Write(magnitude, notation.NegatedFirstTerm) : Write(term, Precedence.Additive));
                }
                else
                {
                    text.Append(negative ? " " + notation.Minus + " " : " + ").Append(Write(negative ? magnitude : term, Precedence.Multiplicative));
                }
            }

            return text.ToString();
        }

        private (string, Precedence) WriteProduct(Product product)
        {
            var (coefficient, numerator, denominator) = AsFraction(product);
            var top = numerator.Select(f => Write(f, Precedence.Multiplicative)).ToList();
            if (top.Count == 0 || Math.Abs(coefficient) != 1)
            {
                top.Insert(0, Number(Math.Abs(coefficient)));
            }

            string text = string.Join(notation.Times, top);
            if (denominator.Count > 0)
            {
                // a / (b * c): the parenthesised product keeps one division.
                string bottom = denominator.Count == 1
                    ? Write(denominator[0], Precedence.Unary)
                    : "(" + string.Join(notation.Times, denominator.Select(d => Write(d, Precedence.Multiplicative))) + ")";
                text += notation.Divide + bottom;
            }

            return coefficient < 0 ? (notation.Minus + text, notation.NegativeProduct) : (text, Precedence.Multiplicative);
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
        /// factors below it (x^−n written as x^n). Every printer (math, scalar C#, vector C#) reads products so.
        /// </summary>
        public static (double Coefficient, List<Expr> Numerator, List<Expr> Denominator) AsFraction(Product product)
        {
            var (coefficient, _) = Algebra.SplitCoefficient(product);
            var numerator = product.Factors.Where(f => f is not Constant && !IsDenominator(f)).ToList();
            var denominator = product.Factors.Where(IsDenominator).Select(Algebra.Reciprocal).ToList();
            return (coefficient, numerator, denominator);
        }

        private static bool IsDenominator(Expr f) => f is Power { Exponent: Constant { Value: < 0 } };
    }
}
