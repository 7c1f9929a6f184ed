using System.Globalization;

namespace Activations.Generator.Printing
{
    /// <summary>Writes an expression as readable math for doc comments: <c>y·(1 − y)</c>, <c>e^(−z)</c>, <c>√z</c>.</summary>
    internal sealed class MathNotation : InfixPrinter
    {
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

        /// <summary>Formats <paramref name="e"/>; constants of a float activation print as the float they are.</summary>
        public static string Format(Expr e, string variable, bool isDouble = true) => new MathNotation(variable, isDouble).Write(e);

        private readonly string variable;
        private readonly bool singlePrecision;

        // A leading minus reads as a subtraction: z·(−2), and −a·b needs no parentheses of its own.
        private static readonly Notation Tokens = new("−", "·", "/", NegativeConstant: Precedence.Additive, NegativeProduct: Precedence.Additive, NegatedFirstTerm: Precedence.Multiplicative);

        private MathNotation(string variable, bool isDouble)
            : base(Tokens)
        {
            this.variable = variable;
            singlePrecision = !isDouble;
        }

        protected override (string Text, Precedence Precedence) WriteOwn(Expr e)
        {
            switch (e)
            {
                case Variable:
                    return (variable, Precedence.Primary);
                case Parameter p:
                    return (p.Name, Precedence.Primary);
                case Power power when power.Exponent.IsConstant(0.5):
                    return ("√" + Write(power.Base, Precedence.Primary), Precedence.Unary);
                case Power power when power.Exponent is Constant { Value: < 0 } negative:
                    return ("1/" + Write(Algebra.Pow(power.Base, Algebra.Num(-negative.Value)), Precedence.Unary), Precedence.Multiplicative);
                case Power power:
                    return (Write(power.Base, Precedence.Primary) + Superscript(power.Exponent), Precedence.Unary);
                case Call { Function: MathFunction.Exp } exp:
                    return ("e^" + Write(exp.Argument, Precedence.Primary), Precedence.Unary);
                case Call call:
                    return (MathFunctions.Of(call.Function).Notation + "(" + Write(call.Argument) + ")", Precedence.Primary);
                case ActivationCall activation:
                    return (activation.Target.Name + (activation.Derivative ? "′" : string.Empty) + "(" + string.Join(", ", activation.Arguments.Select(Write)) + ")", Precedence.Primary);
                default:
                    return (e.GetType().Name, Precedence.Primary);
            }
        }

        protected override string Operator(CompareOp op) => op switch
        {
            CompareOp.Less => "<",
            CompareOp.LessOrEqual => "≤",
            CompareOp.Greater => ">",
            CompareOp.GreaterOrEqual => "≥",
            CompareOp.Equal => "=",
            _ => "≠",
        };

        protected override string Operator(LogicOp op) => op switch
        {
            LogicOp.And => "∧",
            LogicOp.Or => "∨",
            _ => "¬",
        };

        private string Superscript(Expr exponent)
        {
            if (exponent is Constant c && Algebra.IsInteger(c.Value) && c.Value >= 0 && c.Value < 10)
            {
                return "⁰¹²³⁴⁵⁶⁷⁸⁹"[(int)c.Value].ToString();
            }

            return "^" + Write(exponent, Precedence.Primary);
        }

        protected override string Number(double value)
        {
            string text = singlePrecision
                ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
                : value.ToString("R", CultureInfo.InvariantCulture);
            return value < 0 ? "−" + text.Substring(1) : text;
        }
    }
}
