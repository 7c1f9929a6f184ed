namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// Builds expressions in canonical form: nested sums and products flattened, constants folded,
    /// like terms and like factors merged, children ordered, <c>a − b</c> as <c>a + (−1)·b</c> and
    /// <c>a / b</c> as <c>a·b^−1</c>. Every later stage builds through here, so simplification is
    /// a property of construction and equal values have equal trees.
    /// </summary>
    internal static class Algebra
    {
        /// <summary>Arithmetic on a piecewise operand is pushed into its branches while the result stays this small.</summary>
        private const int MaxLiftedBranches = 8;

        public static Expr Z => Variable.Instance;

        public static Expr Num(double value) => value == 0 ? Constant.Zero : value == 1 ? Constant.One : new Constant(value);

        public static Expr Add(Expr a, Expr b) => Add(new[] { a, b });

        public static Expr Sub(Expr a, Expr b) => Add(new[] { a, Neg(b) });

        public static Expr Neg(Expr a) => Mul(Constant.MinusOne, a);

        public static Expr Mul(Expr a, Expr b) => Mul(new[] { a, b });

        public static Expr Div(Expr a, Expr b) => Mul(a, Pow(b, Constant.MinusOne));

        public static Expr Reciprocal(Expr a) => Pow(a, Constant.MinusOne);

        public static Expr Sqrt(Expr a) => Pow(a, Num(0.5));

        public static Expr Add(IEnumerable<Expr> terms)
        {
            var flat = Flatten(terms, t => t is Sum sum ? sum.Terms : null);

            if (TryLift(flat, Add, out var lifted))
            {
                return lifted;
            }

            double constant = 0;
            var coefficients = new Dictionary<Expr, double>();
            var order = new List<Expr>();
            foreach (var term in flat)
            {
                if (term is Constant c)
                {
                    constant += c.Value;
                    continue;
                }

                var (coefficient, core) = SplitCoefficient(term);
                if (coefficients.TryGetValue(core, out double existing))
                {
                    coefficients[core] = existing + coefficient;
                }
                else
                {
                    coefficients[core] = coefficient;
                    order.Add(core);
                }
            }

            var result = new List<Expr>();
            foreach (var core in order.OrderBy(e => e, ExprOrder.Instance))
            {
                double coefficient = coefficients[core];
                if (coefficient != 0)
                {
                    result.Add(WithCoefficient(coefficient, core));
                }
            }

            if (constant != 0 || double.IsNaN(constant))
            {
                result.Insert(0, Num(constant));
            }

            return result.Count switch
            {
                0 => Constant.Zero,
                1 => result[0],
                _ => new Sum(result.ToEquatableArray()),
            };
        }

        /// <summary>The operands with nested nodes of the same kind spliced in: a + (b + c) is a + b + c.</summary>
        private static List<Expr> Flatten(IEnumerable<Expr> operands, Func<Expr, IEnumerable<Expr>?> nested)
        {
            var flat = new List<Expr>();
            foreach (var operand in operands)
            {
                if (nested(operand) is { } inner)
                {
                    flat.AddRange(inner);
                }
                else
                {
                    flat.Add(operand);
                }
            }

            return flat;
        }

        public static Expr Mul(IEnumerable<Expr> factors) => Mul(factors, depth: 0);

        private static Expr Mul(IEnumerable<Expr> factors, int depth)
        {
            var flat = Flatten(factors, f => f is Product product ? product.Factors : null);

            if (TryLift(flat, f => Mul(f), out var lifted))
            {
                return lifted;
            }

            double coefficient = 1;
            var exponents = new Dictionary<Expr, List<Expr>>();
            var order = new List<Expr>();
            var exponentials = new List<Expr>();
            foreach (var factor in flat)
            {
                switch (factor)
                {
                    case Constant c:
                        coefficient *= c.Value;
                        continue;
                    case Call { Function: MathFunction.Exp } exp:
                        // e^a·e^b = e^(a+b): related exponentials meet, and e^z·e^−z never becomes ∞·0.
                        exponentials.Add(exp.Argument);
                        continue;
                }

                var (b, e) = factor is Power p ? (p.Base, p.Exponent) : (factor, Constant.One);
                if (!exponents.TryGetValue(b, out var list))
                {
                    exponents[b] = list = new List<Expr>();
                    order.Add(b);
                }

                list.Add(e);
            }

            if (coefficient == 0)
            {
                return Constant.Zero;
            }

            var result = new List<Expr>();
            foreach (var b in order)
            {
                result.Add(Pow(b, Add(exponents[b])));
            }

            // Merging can produce constants, products or exponentials again ((2z)^2 = 4·z^2); one more pass settles them.
            bool unsettled = result.Any(f => f is Constant || f is Product || f is Call { Function: MathFunction.Exp });
            if (exponentials.Count > 0)
            {
                result.Add(Exp(Add(exponentials)));
            }

            if (depth < 4 && unsettled)
            {
                result.Insert(0, Num(coefficient));
                return Mul(result, depth + 1);
            }

            result.RemoveAll(f => f.IsConstant(1));
            foreach (var c in result.OfType<Constant>().ToList())
            {
                coefficient *= c.Value;
                result.Remove(c);
            }

            if (coefficient == 0)
            {
                return Constant.Zero;
            }

            coefficient = SnapToInteger(coefficient);
            result.Sort(ExprOrder.Instance);
            if (coefficient != 1 && result.Count == 1 && result[0] is Sum distributed)
            {
                // c·(a + b) = c·a + c·b: so that 1 − (2y − 1) folds to 2 − 2y.
                return Add(distributed.Terms.Select(t => Mul(Num(coefficient), t)));
            }

            if (coefficient != 1)
            {
                result.Insert(0, Num(coefficient));
            }

            return result.Count switch
            {
                0 => Constant.One,
                1 => result[0],
                _ => new Product(result.ToEquatableArray()),
            };
        }

        public static Expr Pow(Expr b, Expr e)
        {
            if (e.IsConstant(0))
            {
                return Constant.One;
            }

            if (e.IsConstant(1))
            {
                return b;
            }

            if (b.IsConstant(1))
            {
                return Constant.One;
            }

            if (b is Constant cb && e is Constant ce)
            {
                return Num(Math.Pow(cb.Value, ce.Value));
            }

            if (TryLift(new List<Expr> { b, e }, parts => Pow(parts[0], parts[1]), out var lifted))
            {
                return lifted;
            }

            bool integerExponent = e is Constant ci && IsInteger(ci.Value);
            switch (b)
            {
                case Power inner when integerExponent:
                    return Pow(inner.Base, Mul(inner.Exponent, e));
                case Product product when integerExponent:
                    return Mul(product.Factors.Select(f => Pow(f, e)));
                case Call { Function: MathFunction.Exp } exp:
                    return Exp(Mul(exp.Argument, e));
            }

            return new Power(b, e);
        }

        public static Expr Exp(Expr argument) => Apply(MathFunction.Exp, argument);

        public static Expr Log(Expr argument) => Apply(MathFunction.Log, argument);

        public static Expr Tanh(Expr argument) => Apply(MathFunction.Tanh, argument);

        public static Expr Apply(MathFunction function, Expr argument)
        {
            if (argument is Constant c)
            {
                return Num(Evaluate(function, c.Value));
            }

            if (argument is Piecewise piecewise && CanLift(piecewise))
            {
                return MapBranches(piecewise, v => Apply(function, v));
            }

            switch (function)
            {
                case MathFunction.Exp when argument is Call { Function: MathFunction.Log } log:
                    return log.Argument;
                case MathFunction.Log when argument is Call { Function: MathFunction.Exp } exp:
                    return exp.Argument;
            }

            switch (MathFunctions.Of(function).Parity)
            {
                case Parity.Odd when IsNegated(argument, out var inner):
                    return Neg(Apply(function, inner)); // keep the argument's sign outside
                case Parity.Even when IsNegated(argument, out var inner):
                    return Apply(function, inner);
            }

            return new Call(function, argument);
        }

        public static double Evaluate(MathFunction function, double x) => MathFunctions.Of(function).Evaluate(x);

        public static Expr ActivationCall(ActivationRef target, bool derivative, IEnumerable<Expr> arguments) =>
            new ActivationCall(target, derivative, arguments.ToEquatableArray());

        /// <summary>Builds <c>cond₁ ? v₁ : cond₂ ? v₂ : … : otherwise</c>, pruning decided and redundant branches.</summary>
        public static Expr Piecewise(IEnumerable<(Expr Condition, Expr Value)> branches, Expr otherwise)
        {
            var conditions = new List<Expr>();
            var values = new List<Expr>();

            // Conditions the earlier ones decide are dropped or end the chain, and a nested chain in a value
            // keeps only what its branch can reach.
            var (reached, last) = ZRange.All.Reach(branches, otherwise);
            foreach (var (condition, rawValue, _, inside) in reached)
            {
                var value = RestrictTo(rawValue, inside);

                // Adjacent branches with one value share it: (c₁ → v), (c₂ → v) is (c₁ ∨ c₂ → v).
                if (values.Count > 0 && values[values.Count - 1].Equals(value))
                {
                    conditions[conditions.Count - 1] = Or(conditions[conditions.Count - 1], condition);
                    continue;
                }

                conditions.Add(condition);
                values.Add(value);
            }

            otherwise = RestrictTo(last.Value, last.Inside);
            if (otherwise is Piecewise nested)
            {
                // c ? a : (d ? b : e) is one chain.
                var merged = conditions.Zip(values, (c, v) => (c, v)).Concat(nested.Branches);
                if (conditions.Count > 0)
                {
                    return Piecewise(merged.ToList(), nested.Otherwise);
                }

                return nested;
            }

            while (values.Count > 0 && values[values.Count - 1].Equals(otherwise))
            {
                conditions.RemoveAt(conditions.Count - 1);
                values.RemoveAt(values.Count - 1);
            }

            if (conditions.Count == 0)
            {
                return otherwise;
            }

            return new Piecewise(conditions.ToEquatableArray(), values.ToEquatableArray(), otherwise);
        }

        public static Expr Piecewise(Expr condition, Expr whenTrue, Expr whenFalse) =>
            Piecewise(new[] { (condition, whenTrue) }, whenFalse);

        /// <summary>Math.Max(a, b): a where a ≥ b, else b.</summary>
        public static Expr Max(Expr a, Expr b) =>
            LiftOver(a, b, Max) ?? Piecewise(Compare(CompareOp.GreaterOrEqual, a, b), a, b);

        public static Expr Min(Expr a, Expr b) =>
            LiftOver(a, b, Min) ?? Piecewise(Compare(CompareOp.LessOrEqual, a, b), a, b);

        public static Expr Abs(Expr a) =>
            a is Piecewise p && CanLift(p)
                ? MapBranches(p, Abs)
                : Piecewise(Compare(CompareOp.Less, a, Constant.Zero), Neg(a), a);

        /// <summary>Min(c ? a : b, x) = c ? Min(a, x) : Min(b, x): keeps Min(Max(0, z), 6) one flat chain.</summary>
        private static Expr? LiftOver(Expr a, Expr b, Func<Expr, Expr, Expr> f)
        {
            if (a is Piecewise pa && CanLift(pa))
            {
                return MapBranchesWithin(pa, (v, range) => f(v, RestrictTo(b, range)));
            }

            if (b is Piecewise pb && CanLift(pb))
            {
                return MapBranchesWithin(pb, (v, range) => f(RestrictTo(a, range), v));
            }

            return null;
        }

        public static Expr Clamp(Expr value, Expr min, Expr max) =>
            Piecewise(new[] { (Compare(CompareOp.Less, value, min), min), (Compare(CompareOp.Greater, value, max), max) }, value);

        public static Expr Sign(Expr a) =>
            Piecewise(new[] { (Compare(CompareOp.Greater, a, Constant.Zero), (Expr)Constant.One), (Compare(CompareOp.Less, a, Constant.Zero), Constant.MinusOne) }, Constant.Zero);

        /// <summary>
        /// Compares two expressions. A condition linear in z, <c>a·z + b op 0</c> with constant a, becomes
        /// <c>z op k</c>, so that every breakpoint is visible as <c>k</c>.
        /// </summary>
        public static Expr Compare(CompareOp op, Expr left, Expr right)
        {
            if (left is Piecewise || right is Piecewise)
            {
                // Max(0, z) > 1 and the like: decide branch by branch.
                var (piecewise, other, onLeft) = left is Piecewise pl ? (pl, right, true) : ((Piecewise)right, left, false);
                if (CanLift(piecewise))
                {
                    return PiecewiseCondition(piecewise, v => onLeft ? Compare(op, v, other) : Compare(op, other, v));
                }
            }

            var difference = Sub(left, right);
            if (difference is Constant c)
            {
                return Bool(Holds(op, c.Value, 0));
            }

            if (TryLinear(difference, out double slope, out var intercept) && slope != 0)
            {
                var threshold = Mul(Num(-1 / slope), intercept);
                return new Comparison(slope < 0 ? Mirror(op) : op, Z, threshold);
            }

            if (!difference.ContainsVariable)
            {
                return new Comparison(op, left, right); // about hyperparameters only: keep the user's reading
            }

            return new Comparison(op, difference, Constant.Zero);
        }

        public static Expr Bool(bool value) => value ? BoolConstant.True : BoolConstant.False;

        public static Expr And(params Expr[] operands) => Logic(LogicOp.And, operands);

        public static Expr Or(params Expr[] operands) => Logic(LogicOp.Or, operands);

        public static Expr Not(Expr operand) => operand switch
        {
            BoolConstant b => Bool(!b.Value),
            Comparison c => new Comparison(Negate(c.Op), c.Left, c.Right),
            Logic { Op: LogicOp.Not } n => n.Operands[0],
            _ => new Logic(LogicOp.Not, new[] { operand }.ToEquatableArray()),
        };

        public static Expr Logic(LogicOp op, IEnumerable<Expr> operands)
        {
            bool isAnd = op == LogicOp.And;
            var flat = new List<Expr>();
            foreach (var operand in operands)
            {
                if (operand is Logic l && l.Op == op)
                {
                    flat.AddRange(l.Operands);
                }
                else if (operand is BoolConstant b)
                {
                    if (b.Value != isAnd)
                    {
                        return b; // false in an And, true in an Or decides it
                    }
                }
                else if (!flat.Contains(operand))
                {
                    flat.Add(operand);
                }
            }

            MergeComparisons(flat, isAnd);
            if (flat.Any(f => f is BoolConstant b && b.Value != isAnd))
            {
                return Bool(!isAnd);
            }

            flat.RemoveAll(f => f is BoolConstant);
            return flat.Count switch
            {
                0 => Bool(isAnd),
                1 => flat[0],
                _ => new Logic(op, flat.ToEquatableArray()),
            };
        }

        /// <summary>z = k ∨ z &gt; k is z ≥ k; z ≤ k ∧ z ≥ k is z = k: comparisons of the same two sides combine.</summary>
        private static void MergeComparisons(List<Expr> operands, bool isAnd)
        {
            for (int i = 0; i < operands.Count; i++)
            {
                for (int j = i + 1; j < operands.Count; j++)
                {
                    if (operands[i] is Comparison a && operands[j] is Comparison b && a.Left.Equals(b.Left) && a.Right.Equals(b.Right))
                    {
                        int outcomes = isAnd ? Outcomes(a.Op) & Outcomes(b.Op) : Outcomes(a.Op) | Outcomes(b.Op);
                        operands[i] = outcomes switch
                        {
                            0 => Bool(false),
                            7 => Bool(true),
                            _ => new Comparison(FromOutcomes(outcomes), a.Left, a.Right),
                        };
                        operands.RemoveAt(j);
                        j = i;
                    }
                }
            }
        }

        // Bits: 4 = less, 2 = equal, 1 = greater.
        private static int Outcomes(CompareOp op) => op switch
        {
            CompareOp.Less => 4,
            CompareOp.LessOrEqual => 6,
            CompareOp.Equal => 2,
            CompareOp.GreaterOrEqual => 3,
            CompareOp.Greater => 1,
            _ => 5,
        };

        private static CompareOp FromOutcomes(int outcomes) => outcomes switch
        {
            4 => CompareOp.Less,
            6 => CompareOp.LessOrEqual,
            2 => CompareOp.Equal,
            3 => CompareOp.GreaterOrEqual,
            1 => CompareOp.Greater,
            _ => CompareOp.NotEqual,
        };

        public static bool Holds(CompareOp op, double left, double right) => op switch
        {
            CompareOp.Less => left < right,
            CompareOp.LessOrEqual => left <= right,
            CompareOp.Greater => left > right,
            CompareOp.GreaterOrEqual => left >= right,
            CompareOp.Equal => left == right,
            CompareOp.NotEqual => left != right,
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };

        /// <summary>The operator with its operands swapped: <c>a &lt; b</c> ⇔ <c>b &gt; a</c>.</summary>
        public static CompareOp Mirror(CompareOp op) => op switch
        {
            CompareOp.Less => CompareOp.Greater,
            CompareOp.LessOrEqual => CompareOp.GreaterOrEqual,
            CompareOp.Greater => CompareOp.Less,
            CompareOp.GreaterOrEqual => CompareOp.LessOrEqual,
            _ => op,
        };

        /// <summary>The operator of the negated comparison: !(a &lt; b) ⇔ a ≥ b.</summary>
        public static CompareOp Negate(CompareOp op) => op switch
        {
            CompareOp.Less => CompareOp.GreaterOrEqual,
            CompareOp.LessOrEqual => CompareOp.Greater,
            CompareOp.Greater => CompareOp.LessOrEqual,
            CompareOp.GreaterOrEqual => CompareOp.Less,
            CompareOp.Equal => CompareOp.NotEqual,
            _ => CompareOp.Equal,
        };

        /// <summary>Splits e into slope·z + intercept with a constant slope and a z-free intercept.</summary>
        public static bool TryLinear(Expr e, out double slope, out Expr intercept)
        {
            slope = 0;
            intercept = Constant.Zero;
            if (!e.ContainsVariable)
            {
                intercept = e;
                return true;
            }

            if (e is Variable)
            {
                slope = 1;
                return true;
            }

            if (e is Product { Factors.Count: 2 } p && p.Factors[0] is Constant c && p.Factors[1] is Variable)
            {
                slope = c.Value;
                return true;
            }

            if (e is Sum s)
            {
                var withVariable = s.Terms.Where(t => t.ContainsVariable).ToList();
                if (withVariable.Count == 1 && TryLinear(withVariable[0], out slope, out _))
                {
                    intercept = Add(s.Terms.Where(t => !t.ContainsVariable));
                    return true;
                }
            }

            return false;
        }

        public static (double Coefficient, Expr Core) SplitCoefficient(Expr term)
        {
            if (term is Product p && p.Factors[0] is Constant c)
            {
                var rest = p.Factors.Skip(1).ToList();
                return (c.Value, rest.Count == 1 ? rest[0] : new Product(rest.ToEquatableArray()));
            }

            return (1, term);
        }

        /// <summary>
        /// Removes the round-off of a reciprocal multiplied back (a·(1/a) = 0.9999999999999999), which would
        /// otherwise leave a coefficient of almost 1 in an output form.
        /// </summary>
        private static double SnapToInteger(double value)
        {
            double nearest = Math.Round(value);
            return nearest != 0 && Math.Abs(value - nearest) <= 4e-16 * Math.Abs(value) ? nearest : value;
        }

        public static bool IsInteger(double value) => Math.Abs(value) < 1e15 && Math.Floor(value) == value;

        public static bool IsNegated(Expr e, out Expr inner)
        {
            var (coefficient, core) = SplitCoefficient(e);
            if (coefficient < 0)
            {
                inner = WithCoefficient(-coefficient, core);
                return true;
            }

            inner = e;
            return false;
        }

        public static Expr MapBranches(Piecewise piecewise, Func<Expr, Expr> map) =>
            Piecewise(piecewise.Branches.Select(b => (b.Condition, map(b.Value))).ToList(), map(piecewise.Otherwise));

        /// <summary>
        /// Arithmetic is pushed into a chain only when the chain is short and each of its conditions places z
        /// against a breakpoint (<c>z op k</c>): such chains meet as one partition of the line, cut to what each
        /// branch can reach, so lifting adds branches rather than multiplying them. A chain on anything else
        /// (<c>tanh(z) + 0.3·z ≥ 0</c>) stays where the user wrote it; lifting over it would copy every operand
        /// into every branch, at every level of a body.
        /// </summary>
        private static bool CanLift(Piecewise piecewise) =>
            piecewise.BranchCount + 1 <= MaxLiftedBranches && piecewise.Conditions.All(IsBreakpointCondition);

        private static bool IsBreakpointCondition(Expr condition) => condition switch
        {
            Comparison c => c.Left is Variable && !c.Right.ContainsVariable,
            Logic logic => logic.Operands.All(IsBreakpointCondition),
            _ => condition is BoolConstant,
        };

        /// <summary>Maps each branch value with the range of z in which that branch is taken.</summary>
        private static Expr MapBranchesWithin(Piecewise piecewise, Func<Expr, ZRange, Expr> map)
        {
            var (reached, last) = ZRange.All.Reach(piecewise.Branches, piecewise.Otherwise);
            return Piecewise(reached.Select(b => (b.Condition, map(b.Value, b.Inside))).ToList(), map(last.Value, last.Inside));
        }

        /// <summary>
        /// A chain cut to the branches reachable in the range (and its nested chains likewise); any other
        /// expression as it is. Only the chain is walked, not the values' insides, so this stays cheap enough
        /// to run at every construction.
        /// </summary>
        private static Expr RestrictTo(Expr expr, ZRange range)
        {
            if (expr is not Piecewise piecewise || range.IsAll)
            {
                return expr;
            }

            var (reached, last) = range.Reach(piecewise.Branches, piecewise.Otherwise);
            var branches = reached.Select(b => (b.Condition, Value: RestrictTo(b.Value, b.Inside))).ToList();
            var otherwise = RestrictTo(last.Value, last.Inside);
            bool unchanged = branches.Count == piecewise.BranchCount
                && ReferenceEquals(otherwise, piecewise.Otherwise)
                && branches.Select(b => b.Value).SequenceEqual(piecewise.Values, ExprReferenceComparer.Instance);
            return unchanged ? expr : Piecewise(branches, otherwise);
        }

        private static Expr WithCoefficient(double coefficient, Expr core)
        {
            if (coefficient == 1)
            {
                return core;
            }

            var factors = new List<Expr> { Num(coefficient) };
            factors.AddRange(core is Product p ? p.Factors : (IEnumerable<Expr>)new[] { core });
            return new Product(factors.ToEquatableArray());
        }

        /// <summary>
        /// f(…, c ? a : b, …) = c ? f(…, a, …) : f(…, b, …): keeps piecewise functions in one top-level
        /// chain, which kinks, dead zones and output forms read directly.
        /// </summary>
        private static bool TryLift(List<Expr> operands, Func<List<Expr>, Expr> rebuild, out Expr result)
        {
            result = Constant.Zero;
            int index = operands.FindIndex(o => o is Piecewise);
            if (index < 0)
            {
                return false;
            }

            var piecewise = (Piecewise)operands[index];
            if (!CanLift(piecewise))
            {
                return false;
            }

            // Inside a branch, the other operands' chains are cut to the part that branch can reach: lifting
            // sign(x)·(x < 0 ? a : b) gives x > 0 ? b : x < 0 ? −a : 0, not every combination of both chains.
            result = MapBranchesWithin(piecewise, (value, range) =>
                rebuild(operands.Select((operand, i) => i == index ? value : RestrictTo(operand, range)).ToList()));
            return true;
        }

        private static Expr PiecewiseCondition(Piecewise piecewise, Func<Expr, Expr> test)
        {
            // (c₁ ∧ t(v₁)) ∨ (¬c₁ ∧ c₂ ∧ t(v₂)) ∨ … ∨ (¬c₁ ∧ … ∧ t(otherwise))
            var alternatives = new List<Expr>();
            var notBefore = new List<Expr>();
            for (int i = 0; i < piecewise.BranchCount; i++)
            {
                alternatives.Add(And(notBefore.Concat(new[] { piecewise.Conditions[i], test(piecewise.Values[i]) }).ToArray()));
                notBefore.Add(Not(piecewise.Conditions[i]));
            }

            alternatives.Add(And(notBefore.Concat(new[] { test(piecewise.Otherwise) }).ToArray()));
            return Or(alternatives.ToArray());
        }
    }
}
