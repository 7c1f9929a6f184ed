using System.Globalization;
using Activations.Generator.Printing;

namespace Activations.Generator.Emit
{
    /// <summary>
    /// Writes an expression as C# for one scalar type. Names of the variable, hyperparameters and hoisted
    /// subexpressions come from the caller; literals are invariant round-trip text (<c>0.01f</c>).
    /// </summary>
    internal sealed class CSharpExpressionWriter : InfixPrinter
    {
        private readonly bool isDouble;
        private readonly string variable;
        private readonly IReadOnlyList<string> parameters;
        private readonly string containingType;
        private readonly IReadOnlyDictionary<Expr, string> hoisted;

        private readonly string? mathType;

        // (−a)·b and −(a·b) are the same number in IEEE arithmetic, so a product's sign needs no parentheses.
        private static readonly Notation Tokens = new("-", " * ", " / ", NegativeConstant: Precedence.Unary, NegativeProduct: Precedence.Multiplicative, NegatedFirstTerm: Precedence.Unary);

        /// <param name="mathType">The class math calls go through; <c>global::System.Math</c>/<c>MathF</c> by default (generated code), the user's own spelling in a code fix.</param>
        public CSharpExpressionWriter(bool isDouble, string variable, IReadOnlyList<string> parameters, string containingType, IReadOnlyDictionary<Expr, string> hoisted, string? mathType = null)
            : base(Tokens)
        {
            this.mathType = mathType;
            this.isDouble = isDouble;
            this.variable = variable;
            this.parameters = parameters;
            this.containingType = containingType;
            this.hoisted = hoisted;
        }

        public string MathType => mathType ?? (isDouble ? "global::System.Math" : "global::System.MathF");

        public string Literal(double value) => Literal(value, isDouble);

        /// <summary>Invariant round-trip C# text of a <paramref name="value"/> of the given type: <c>0.01f</c>, <c>2.0</c>.</summary>
        public static string Literal(double value, bool isDouble)
        {
            string type = isDouble ? "double" : "float";
            if (double.IsNaN(value))
            {
                return type + ".NaN";
            }

            if (double.IsInfinity(value))
            {
                return type + (value > 0 ? ".PositiveInfinity" : ".NegativeInfinity");
            }

            if (isDouble)
            {
                string text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
            }

            return ((float)value).ToString("R", CultureInfo.InvariantCulture) + "f";
        }

        /// <summary>Writes <paramref name="e"/> itself (not its hoisted name) when it is the definition of a local.</summary>
        public string WriteDefinition(Expr e) => Write(e, Precedence.Conditional, allowName: false);

        protected override string Number(double value) => Literal(value);

        protected override string? NameOf(Expr e) => hoisted.TryGetValue(e, out var name) ? name : null;

        protected override (string Text, Precedence Precedence) WriteOwn(Expr e)
        {
            switch (e)
            {
                case Variable:
                    return (variable, Precedence.Primary);
                case Parameter p:
                    return (p.Index >= 0 && p.Index < parameters.Count ? parameters[p.Index] : p.Name, Precedence.Primary);
                case Power power:
                    return WritePower(power);
                case Call call:
                {
                    var function = MathFunctions.Of(call.Function);
                    string name = function.CSharpName ?? throw new InvalidOperationException($"{call.Function} has no scalar C# spelling");
                    string owner = function.OnNumericTypeOnly ? (isDouble ? "double" : "float") : MathType;
                    return ($"{owner}.{name}({Write(call.Argument)})", Precedence.Primary);
                }

                case ActivationCall activation:
                {
                    string name = activation.Derivative ? activation.Target.DerivativeName : activation.Target.Name;
                    string owner = activation.Target.ContainingType == containingType ? string.Empty : activation.Target.ContainingType + ".";
                    if (activation.Target.IsDouble == isDouble)
                    {
                        return ($"{owner}{name}({string.Join(", ", activation.Arguments.Select(Write))})", Precedence.Primary);
                    }

                    // A callee of the other precision: the user's cast is part of the function, so the
                    // chain rule carries it. Only narrowing needs writing; widening is implicit.
                    if (isDouble)
                    {
                        return ($"{owner}{name}({string.Join(", ", activation.Arguments.Select(a => "(float)" + Write(a, Precedence.Unary)))})", Precedence.Primary);
                    }

                    return ($"(float){owner}{name}({string.Join(", ", activation.Arguments.Select(Write))})", Precedence.Unary);
                }

                default:
                    throw new InvalidOperationException("Cannot write a " + e.GetType().Name);
            }
        }

        private (string, Precedence) WritePower(Power power)
        {
            var b = power.Base;
            switch (power.Exponent)
            {
                case Constant { Value: 0.5 }:
                    return ($"{MathType}.Sqrt({Write(b)})", Precedence.Primary);
                case Constant { Value: 2 }:
                    return (Write(b, Precedence.Unary) + " * " + Write(b, Precedence.Unary), Precedence.Multiplicative);
                case Constant { Value: 3 }:
                    return (Write(b, Precedence.Unary) + " * " + Write(b, Precedence.Unary) + " * " + Write(b, Precedence.Unary), Precedence.Multiplicative);
                case Constant { Value: < 0 } negative:
                    return (Literal(1) + " / " + Write(Algebra.Pow(b, Algebra.Num(-negative.Value)), Precedence.Unary), Precedence.Multiplicative);
                default:
                    return ($"{MathType}.Pow({Write(b)}, {Write(power.Exponent)})", Precedence.Primary);
            }
        }

        protected override string Operator(CompareOp op) => op switch
        {
            CompareOp.Less => "<",
            CompareOp.LessOrEqual => "<=",
            CompareOp.Greater => ">",
            CompareOp.GreaterOrEqual => ">=",
            CompareOp.Equal => "==",
            _ => "!=",
        };

        protected override string Operator(LogicOp op) => op switch
        {
            LogicOp.And => "&&",
            LogicOp.Or => "||",
            _ => "!",
        };
    }
}
