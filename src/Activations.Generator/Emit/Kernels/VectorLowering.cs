using System.Globalization;
using Activations.Generator.Printing;

namespace Activations.Generator.Emit.Kernels
{
    /// <summary>
    /// Lowers an expression to straight-line vector C# for one width: arithmetic to vector operators,
    /// Exp/Log/Tanh to our inlined <c>VectorMath</c>, <c>?:</c> chains to masks and <c>ConditionalSelect</c>.
    /// Every branch of a piecewise function is computed; IEEE arithmetic does not trap, and lanes whose
    /// input is NaN are recomputed by the scalar method, so NaN behaves exactly as in the scalar code.
    /// </summary>
    internal sealed class VectorLowering
    {
        private const string MathClass = KernelEmitter.RuntimeNamespace + ".VectorMath";

        private readonly string vector;      // Vector512
        private readonly string element;     // float
        private readonly bool isDouble;
        private readonly string variable;
        private readonly IReadOnlyList<string> parameters;
        private readonly Dictionary<Expr, string> locals = new();
        private readonly List<string> statements = new();
        private readonly HashSet<string> usedNames;
        private Dictionary<Expr, int> uses = new();
        private HashSet<Expr> addendExps = new();
        private HashSet<Expr> sharedLogistics = new();
        private readonly Dictionary<Expr, (string Small, string OnePlus)> smallExps = new();
        private readonly Dictionary<Expr, string> reciprocals = new();
        private readonly Dictionary<Expr, string> logistics = new();

        private VectorLowering(string vector, bool isDouble, string variable, IReadOnlyList<string> parameters)
        {
            this.vector = vector;
            this.isDouble = isDouble;
            element = isDouble ? "double" : "float";
            this.variable = variable;
            this.parameters = parameters;
            usedNames = new HashSet<string>(parameters) { variable };
        }

        /// <summary>True when every node has a vector form (Sin, Cos, Atan and symbolic exponents do not).</summary>
        public static bool CanLower(Expr e) => ExprRewriter.Subexpressions(e).All(node => node switch
        {
            Call call => MathFunctions.Of(call.Function).VectorTemplate is not null,
            Power power => power.Exponent is Constant,
            ActivationCall => false,
            _ => true,
        });

        /// <summary>The statements that compute <paramref name="e"/> and the name of the result.</summary>
        public static (IReadOnlyList<string> Statements, string Result) Lower(Expr e, string vector, bool isDouble, string variable, IReadOnlyList<string> parameters)
        {
            var (statements, results) = Lower(new[] { e }, vector, isDouble, variable, parameters);
            return (statements, results[0]);
        }

        /// <summary>
        /// One set of statements for several results (the two partials of a fused backward pass): a subexpression
        /// they share is computed once, into one local.
        /// </summary>
        public static (IReadOnlyList<string> Statements, IReadOnlyList<string> Results) Lower(IReadOnlyList<Expr> roots, string vector, bool isDouble, string variable, IReadOnlyList<string> parameters)
        {
            var lowering = new VectorLowering(vector, isDouble, variable, parameters);
            lowering.uses = CountUses(roots);
            lowering.addendExps = ExpsOnlyAddedToLargerConstants(roots);
            lowering.sharedLogistics = LogisticsSharingAPair(roots);
            var results = roots.Select(root => Unwrap(lowering.Emit(root))).ToList();
            return (lowering.statements, results);
        }

        private string VectorType => $"{vector}<{element}>";

        private static Dictionary<Expr, int> CountUses(IEnumerable<Expr> roots)
        {
            var counts = new Dictionary<Expr, int>();
            var seen = new HashSet<Expr>();
            foreach (var root in roots)
            {
                Visit(root);
            }

            return counts;

            void Visit(Expr node)
            {
                counts.TryGetValue(node, out int n);
                counts[node] = n + 1;
                if (!seen.Add(node))
                {
                    return;
                }

                foreach (var child in node.Children)
                {
                    Visit(child);
                }
            }
        }

        /// <summary>
        /// The e^w nodes used only as the b·e^w of a sum c + b·e^w with |b| ≤ 2^60·|c|: where e^w is below
        /// the normal range, c absorbs it whole, so the cheaper one-step <c>ExpAddend</c> gives the same sum.
        /// </summary>
        private static HashSet<Expr> ExpsOnlyAddedToLargerConstants(IReadOnlyList<Expr> roots)
        {
            var parents = new Dictionary<Expr, List<Expr>>();
            var seen = new HashSet<Expr>();
            var pending = new Stack<Expr>(roots);
            while (pending.Count > 0)
            {
                var node = pending.Pop();
                if (!seen.Add(node))
                {
                    continue;
                }

                foreach (var child in node.Children)
                {
                    if (!parents.TryGetValue(child, out var list))
                    {
                        parents[child] = list = new List<Expr>();
                    }

                    list.Add(node);
                    pending.Push(child);
                }
            }

            bool AddendOfLargerConstant(Expr term) => parents.TryGetValue(term, out var list) && list.All(parent =>
                parent is Sum { Terms.Count: 2 } sum
                && sum.Terms.FirstOrDefault(t => t is Constant) is Constant { Value: not 0 } c
                && Math.Abs(Algebra.SplitCoefficient(term).Coefficient) <= Math.Abs(c.Value) * 1.152921504606847e18);

            var found = new HashSet<Expr>();
            foreach (var node in seen)
            {
                if (node is not Call { Function: MathFunction.Exp } || roots.Contains(node) || !parents.TryGetValue(node, out var users))
                {
                    continue;
                }

                // Either the term itself, or b·e^w with b a constant.
                bool everyUseIsAnAddend = users.All(user => user is Product { Factors.Count: 2 } scaled && scaled.Factors[0] is Constant
                    ? AddendOfLargerConstant(scaled)
                    : AddendOfLargerConstant(node));
                if (everyUseIsAnAddend)
                {
                    found.Add(node);
                }
            }

            return found;
        }

        private string Emit(Expr e)
        {
            if (locals.TryGetValue(e, out var name))
            {
                return name;
            }

            string text = Text(e);
            bool worthALocal = e is Call or Piecewise or Power { Exponent: Constant { Value: 0.5 or -0.5 } }
                || (uses.TryGetValue(e, out int n) && n > 1 && e is not (Constant or Variable or Parameter or BoolConstant));
            if (!worthALocal)
            {
                return text;
            }

            name = Local(Prefix(e), text);
            locals[e] = name;
            return name;
        }

        private static string Prefix(Expr e) =>
            e switch
            {
                Call call => call.Function.ToString().ToLowerInvariant(),
                Piecewise piecewise when AsMaxOrMin(piecewise) is { IsMax: var isMax } => isMax ? "larger" : "smaller",
                Piecewise => "selected",
                Power { Exponent: Constant { Value: 0.5 or -0.5 } } => "sqrt",
                Comparison or Logic => "mask",
                Sum => "sum",
                Product => "product",
                _ => "t",
            };

        private string Broadcast(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                string special = double.IsNaN(value) ? "NaN" : value > 0 ? "PositiveInfinity" : "NegativeInfinity";
                return $"{vector}.Create({element}.{special})";
            }

            if (value == 0)
            {
                return $"{VectorType}.Zero";
            }

            if (value == 1)
            {
                return $"{VectorType}.One";
            }

            return $"{vector}.Create({CSharpExpressionWriter.Literal(value, isDouble)})"; // the scalar printer's literals, NaN and ∞ included
        }

        private string Text(Expr e)
        {
            switch (e)
            {
                case Constant c:
                    return Broadcast(c.Value);
                case Variable:
                    return variable;
                case Parameter p:
                    return p.Index >= 0 && p.Index < parameters.Count ? parameters[p.Index] : p.Name;
                case Sum sum when AsExpM1(sum) is var (scale, argument) && argument is not null:
                {
                    // b·e^u − b is b·(e^u − 1): ExpM1 keeps the digits that the subtraction would cancel.
                    string expM1 = $"{MathClass}.ExpM1({Unwrap(Emit(argument))})";
                    return scale == 1 ? expM1 : scale == -1 ? "-" + expM1 : $"{Broadcast(scale)} * {expM1}";
                }

                case Sum sum:
                {
                    var parts = new List<string>();
                    foreach (var term in InfixPrinter.OrderForReading(sum))
                    {
                        bool negative = Algebra.IsNegated(term, out var magnitude);
                        var operandExpr = negative ? magnitude : term;

                        // A product or power needs no parentheses in a sum (× binds tighter than ±, and −a·b is −(a·b) in IEEE arithmetic).
                        string operand = operandExpr is Product or Power ? Unwrap(Emit(operandExpr)) : Wrap(Emit(operandExpr));
                        parts.Add(parts.Count == 0 ? (negative ? "-" + operand : operand) : (negative ? "- " : "+ ") + operand);
                    }

                    return "(" + string.Join(" ", parts) + ")";
                }

                case Product product:
                {
                    var (coefficient, numerator, denominator) = InfixPrinter.AsFraction(product);
                    var factors = new List<string>();
                    var denominators = new List<string>();
                    while (TakeReciprocalPair(denominator) is { } pair)
                    {
                        var w = Magnitude(pair);

                        // 1/((1 + e^w)(1 + e^−w)) = E/(1 + E)² with E = e^(−|w|): one exponential, and it cannot overflow.
                        var (small, onePlus) = SmallExp(w);
                        factors.Add(small);
                        if (sharedLogistics.Contains(w))
                        {
                            string reciprocal = Reciprocal(w);
                            factors.Add(reciprocal);
                            factors.Add(reciprocal);
                        }
                        else
                        {
                            denominators.Add(onePlus);
                            denominators.Add(onePlus);
                        }
                    }

                    // 1/(1 + e^u) next to such a pair (SwiGLU's σ in both partials) is σ(−u) from the pair's E and
                    // 1/(1 + E): u ≤ 0 ? 1/(1 + E) : E/(1 + E), with no exponential or division of its own.
                    foreach (var logistic in denominator.Where(d => OnePlusExp(d) is { } u && sharedLogistics.Contains(Magnitude(u))).ToList())
                    {
                        denominator.Remove(logistic);
                        factors.Add(Logistic(OnePlusExp(logistic)!));
                    }

                    // A 1/d that several products share (SwiGLU's σ(a) in both partials) is one division into a
                    // local, and each product multiplies by it: a vector division costs several multiplications.
                    // (Not a d the pair rewrite above has already taken.)
                    foreach (var shared in product.Factors.OfType<Power>().Where(f => f.Exponent is Constant { Value: -1 } && uses.TryGetValue(f, out int n) && n > 1).ToList())
                    {
                        if (!denominator.Remove(shared.Base))
                        {
                            continue;
                        }

                        if (!locals.TryGetValue(shared, out string? reciprocal))
                        {
                            reciprocal = Local("reciprocal", $"{VectorType}.One / {Wrap(Emit(shared.Base))}");
                            locals[shared] = reciprocal;
                        }

                        factors.Add(reciprocal);
                    }

                    factors.AddRange(numerator.Select(f => Wrap(Emit(f))));
                    denominators.AddRange(denominator.Select(f => Wrap(Emit(f))));
                    if (Math.Abs(coefficient) != 1 || factors.Count == 0)
                    {
                        factors.Insert(0, Broadcast(Math.Abs(coefficient)));
                    }

                    string text = string.Join(" * ", factors);
                    if (denominators.Count > 0)
                    {
                        text += " / " + (denominators.Count == 1 ? denominators[0] : "(" + string.Join(" * ", denominators) + ")");
                    }

                    // Only × and ÷ are at the top of text, so the sign needs no parentheses: (−a)·b is −(a·b).
                    return coefficient < 0 ? "-" + text : "(" + text + ")";
                }

                case Power { Exponent: Constant exponent } power:
                    return PowerText(power.Base, exponent.Value);
                case Call call:
                {
                    string argument = Unwrap(Emit(call.Argument)); // every template uses {arg} as a call's argument
                    if (call.Function == MathFunction.Exp && addendExps.Contains(call))
                    {
                        return $"{MathClass}.ExpAddend({argument})"; // an e^u only ever added to a larger constant: see ExpsOnlyAddedToLargerConstants
                    }

                    string template = MathFunctions.Of(call.Function).VectorTemplate ?? throw new InvalidOperationException("No vector form for " + call.Function);
                    return template
                        .Replace("{math}", MathClass)
                        .Replace("{arg}", argument)
                        .Replace("{neg}", template.Contains("{neg}") ? "-" + Wrap(argument) : string.Empty)
                        .Replace("{half}", template.Contains("{half}") ? Broadcast(0.5) : string.Empty);
                }

                case Piecewise piecewise when AsMaxOrMin(piecewise) is var (first, second, isMax):
                    return $"{MathClass}.{(isMax ? "MaxSameSign" : "MinSameSign")}({Unwrap(Emit(first))}, {Unwrap(Emit(second))})";

                case Piecewise piecewise:
                {
                    // Arguments of a call: none needs its outer parentheses.
                    string result = Unwrap(Emit(piecewise.Otherwise));
                    for (int i = piecewise.BranchCount - 1; i >= 0; i--)
                    {
                        string mask = Unwrap(Emit(piecewise.Conditions[i]));
                        string value = Unwrap(Emit(piecewise.Values[i]));
                        result = $"{vector}.ConditionalSelect({mask}, {value}, {result})";
                    }

                    return result;
                }

                case Comparison comparison:
                {
                    string left = Unwrap(Emit(comparison.Left));
                    string right = Unwrap(Emit(comparison.Right));
                    return comparison.Op switch
                    {
                        CompareOp.Less => $"{vector}.LessThan({left}, {right})",
                        CompareOp.LessOrEqual => $"{vector}.LessThanOrEqual({left}, {right})",
                        CompareOp.Greater => $"{vector}.GreaterThan({left}, {right})",
                        CompareOp.GreaterOrEqual => $"{vector}.GreaterThanOrEqual({left}, {right})",
                        CompareOp.Equal => $"{vector}.Equals({left}, {right})",
                        _ => $"~{vector}.Equals({left}, {right})",
                    };
                }

                case Logic { Op: LogicOp.Not } not:
                    return "~" + Wrap(Emit(not.Operands[0]));
                case Logic logic:
                    return "(" + string.Join(logic.Op == LogicOp.And ? " & " : " | ", logic.Operands.Select(o => Wrap(Emit(o)))) + ")";
                case BoolConstant b:
                    return b.Value ? $"{VectorType}.AllBitsSet" : $"{VectorType}.Zero";
                default:
                    throw new InvalidOperationException("No vector form for " + e.GetType().Name);
            }
        }

        /// <summary>
        /// u &gt; 0 ? p·u : q·u (any comparison of u with 0, slopes p and q positive constants) always takes the
        /// larger of p·u and q·u, or always the smaller, so one max or min instruction replaces a compare and a
        /// select (Leaky ReLU). The two products share u's sign, so they agree at ±0 and ±∞, and both are NaN
        /// where u is. Returns null where the shape does not hold.
        /// </summary>
        private static (Expr First, Expr Second, bool IsMax)? AsMaxOrMin(Piecewise piecewise)
        {
            if (piecewise.BranchCount != 1 || piecewise.Conditions[0] is not Comparison comparison)
            {
                return null;
            }

            var (u, op) = comparison.Right is Constant { Value: 0 } ? (comparison.Left, comparison.Op)
                : comparison.Left is Constant { Value: 0 } ? (comparison.Right, Algebra.Mirror(comparison.Op))
                : (null, comparison.Op);
            bool? trueWhenPositive = op switch
            {
                CompareOp.Greater or CompareOp.GreaterOrEqual => true,
                CompareOp.Less or CompareOp.LessOrEqual => false,
                _ => null,
            };
            var (p, pCore) = Algebra.SplitCoefficient(piecewise.Values[0]);
            var (q, qCore) = Algebra.SplitCoefficient(piecewise.Otherwise);
            if (u is null || trueWhenPositive is null || !pCore.Equals(u) || !qCore.Equals(u) || !(p > 0) || !(q > 0) || double.IsInfinity(p) || double.IsInfinity(q))
            {
                return null;
            }

            double positiveSlope = trueWhenPositive.Value ? p : q;
            double negativeSlope = trueWhenPositive.Value ? q : p;
            return (piecewise.Values[0], piecewise.Otherwise, positiveSlope >= negativeSlope);
        }

        /// <summary>
        /// Finds and removes two denominator factors 1 + e^w and 1 + e^(−w) (the sigmoid's and tanh's
        /// derivatives have them), returning w.
        /// </summary>
        private static Expr? TakeReciprocalPair(List<Expr> denominator)
        {
            for (int i = 0; i < denominator.Count; i++)
            {
                if (OnePlusExp(denominator[i]) is not { } w)
                {
                    continue;
                }

                var negated = Algebra.Neg(w);
                int j = denominator.FindIndex(i + 1, f => OnePlusExp(f) is { } other && other.Equals(negated));
                if (j < 0)
                {
                    continue;
                }

                denominator.RemoveAt(j);
                denominator.RemoveAt(i);
                return w;
            }

            return null;
        }

        /// <summary>u where <paramref name="e"/> is 1 + e^u.</summary>
        private static Expr? OnePlusExp(Expr e) =>
            e is Sum { Terms.Count: 2 } sum && sum.Terms[0] is Constant { Value: 1 } && sum.Terms[1] is Call { Function: MathFunction.Exp } exp
                ? exp.Argument
                : null;

        /// <summary>w for w and for −w: the key of e^(−|w|), which is the same for both.</summary>
        private static Expr Magnitude(Expr w) => Algebra.IsNegated(w, out var magnitude) ? magnitude : w;

        /// <summary>
        /// The |w| that are both a 1/((1 + e^w)(1 + e^−w)) pair and a 1/(1 + e^±w) elsewhere in the roots: there one
        /// e^(−|w|) and one division serve all of them.
        /// </summary>
        private static HashSet<Expr> LogisticsSharingAPair(IReadOnlyList<Expr> roots)
        {
            var pairs = new HashSet<Expr>();
            var logistics = new HashSet<Expr>();
            foreach (var product in roots.SelectMany(ExprRewriter.Subexpressions).OfType<Product>().Distinct())
            {
                var denominator = InfixPrinter.AsFraction(product).Denominator;
                while (TakeReciprocalPair(denominator) is { } pair)
                {
                    pairs.Add(Magnitude(pair));
                }

                logistics.UnionWith(denominator.Select(OnePlusExp).OfType<Expr>().Select(Magnitude));
            }

            pairs.IntersectWith(logistics);
            return pairs;
        }

        /// <summary>E = e^(−|w|) and 1 + E, declared once per |w|.</summary>
        private (string Small, string OnePlus) SmallExp(Expr magnitude)
        {
            if (!smallExps.TryGetValue(magnitude, out var found))
            {
                string small = Local("exp", $"{MathClass}.Exp(-{vector}.Abs({Unwrap(Emit(magnitude))}))");
                found = (small, Local("sum", $"{VectorType}.One + {small}"));
                smallExps[magnitude] = found;
            }

            return found;
        }

        /// <summary>1/(1 + E), declared once per |w|.</summary>
        private string Reciprocal(Expr magnitude)
        {
            if (!reciprocals.TryGetValue(magnitude, out var name))
            {
                name = Local("reciprocal", $"{VectorType}.One / {SmallExp(magnitude).OnePlus}");
                reciprocals[magnitude] = name;
            }

            return name;
        }

        /// <summary>1/(1 + e^u) from E = e^(−|u|): 1/(1 + E) where u ≤ 0, E/(1 + E) above (NaN for NaN u, through E).</summary>
        private string Logistic(Expr u)
        {
            if (!logistics.TryGetValue(u, out var name))
            {
                var magnitude = Magnitude(u);
                string reciprocal = Reciprocal(magnitude);
                name = Local("logistic", $"{vector}.ConditionalSelect({vector}.LessThanOrEqual({Unwrap(Emit(u))}, {VectorType}.Zero), {reciprocal}, {SmallExp(magnitude).Small} * {reciprocal})");
                logistics[u] = name;
            }

            return name;
        }

        /// <summary>Declares a local holding <paramref name="text"/>, named by the prefix and the first free number.</summary>
        private string Local(string prefix, string text)
        {
            for (int i = 0; ; i++)
            {
                string name = prefix + i.ToString(CultureInfo.InvariantCulture);
                if (usedNames.Add(name))
                {
                    statements.Add($"{VectorType} {name} = {Unwrap(text)};");
                    return name;
                }
            }
        }

        /// <summary>Matches c + b·e^u with b = −c, returning (b, u).</summary>
        private static (double Scale, Expr? Argument) AsExpM1(Sum sum)
        {
            if (sum.Terms.Count != 2 || sum.Terms[0] is not Constant c)
            {
                return (0, null);
            }

            var (b, core) = Algebra.SplitCoefficient(sum.Terms[1]);
            return core is Call { Function: MathFunction.Exp } exp && b == -c.Value ? (b, exp.Argument) : (0, null);
        }

        private string PowerText(Expr b, double exponent)
        {
            if (exponent == 0.5)
            {
                return $"{vector}.Sqrt({Unwrap(Emit(b))})";
            }

            if (exponent == -0.5)
            {
                return $"{VectorType}.One / {vector}.Sqrt({Unwrap(Emit(b))})";
            }

            if (Algebra.IsInteger(exponent) && Math.Abs(exponent) <= 8)
            {
                // b^n by repeated multiplication, exact for the small integers users write.
                string operand = Wrap(Emit(b));
                string product = string.Join(" * ", Enumerable.Repeat(operand, (int)Math.Abs(exponent)));
                string divisor = Math.Abs(exponent) == 1 ? product : "(" + product + ")";
                return exponent > 0 ? "(" + product + ")" : $"({VectorType}.One / {divisor})";
            }

            // b^p = e^(p·ln b): NaN for b < 0, as Math.Pow with a non-integer exponent.
            string logBase = $"{MathClass}.Log({Unwrap(Emit(b))})";
            return $"{MathClass}.Exp({Broadcast(exponent)} * {logBase})";
        }

        /// <summary>
        /// The text without its outer parentheses where they enclose all of it: what a statement's right-hand
        /// side or a return needs none of (the lowering parenthesises every sum and product it writes).
        /// </summary>
        private static string Unwrap(string text)
        {
            if (text.Length < 2 || text[0] != '(' || text[text.Length - 1] != ')')
            {
                return text;
            }

            int depth = 0;
            for (int i = 0; i < text.Length - 1; i++)
            {
                depth += text[i] == '(' ? 1 : text[i] == ')' ? -1 : 0;
                if (depth == 0)
                {
                    return text; // "(a) * (b)": the first group closes before the end
                }
            }

            return text.Substring(1, text.Length - 2);
        }

        /// <summary>Parenthesises an operand unless it is a name, a call or already one parenthesised group.</summary>
        private static string Wrap(string text)
        {
            int depth = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                bool topLevelOperator = depth == 0 && (c == ' ' || (i == 0 && (c == '-' || c == '~')));
                if (topLevelOperator)
                {
                    return "(" + text + ")";
                }
            }

            return text;
        }
    }
}
