using System;
using System.Collections.Generic;
using System.Linq;

namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// Removes branches that the conditions around them make unreachable, and decides conditions they make
    /// certain: inside the branch <c>z ≥ 0</c>, a nested <c>z &lt; 0 ? a : b</c> is <c>b</c>. Without this,
    /// stable rewrites that split on the sign of z (softplus as max(z, 0) + log(1 + e^−|z|)) emit
    /// <c>if (z &gt;= 0f) { if (z &lt; 0f) … }</c>, and nested Abs/Max inside polynomials multiply such dead
    /// branches at every level. Only conditions of the form <c>z op k</c> with a constant k are reasoned
    /// about; anything else is kept as written.
    /// </summary>
    internal static class BranchPruner
    {
        public static Expr Prune(Expr expr)
        {
            if (!ExprRewriter.Contains(expr, e => e is Piecewise))
            {
                return expr;
            }

            var memo = new Dictionary<(Expr, ZRange), Expr>();
            return Visit(expr, ZRange.All);

            Expr Visit(Expr node, ZRange range)
            {
                if (node.Children.Count == 0)
                {
                    return node;
                }

                if (memo.TryGetValue((node, range), out var done))
                {
                    return done;
                }

                Expr result;
                if (node is Piecewise piecewise)
                {
                    result = VisitPiecewise(piecewise, range);
                }
                else if (node is Comparison or Logic && Decide(node, range) is bool known)
                {
                    result = Algebra.Bool(known);
                }
                else
                {
                    var children = node.Children;
                    var rewritten = children.Select(c => Visit(c, range)).ToList();
                    result = children.SequenceEqual(rewritten) ? node : ExprRewriter.Rebuild(node, rewritten);
                }

                memo[(node, range)] = result;
                return result;
            }

            Expr VisitPiecewise(Piecewise piecewise, ZRange range)
            {
                // Branch i is taken where its condition holds and none before it did.
                var branches = new List<(Expr Condition, Expr Value)>();
                var rest = range;
                for (int i = 0; i < piecewise.BranchCount; i++)
                {
                    var condition = piecewise.Conditions[i];
                    var decided = Decide(condition, rest);
                    if (decided == false)
                    {
                        continue;
                    }

                    var inside = Constrain(rest, condition, holds: true);
                    if (decided == true)
                    {
                        // Certain once the earlier branches failed: it is the chain's last value.
                        return Algebra.Piecewise(branches, Visit(piecewise.Values[i], inside));
                    }

                    branches.Add((Visit(condition, rest), Visit(piecewise.Values[i], inside)));
                    rest = Constrain(rest, condition, holds: false);
                }

                return Algebra.Piecewise(branches, Visit(piecewise.Otherwise, rest));
            }
        }

        /// <summary>True or false when the condition is the same for every z in the range; null otherwise.</summary>
        private static bool? Decide(Expr condition, ZRange range)
        {
            switch (condition)
            {
                case BoolConstant b:
                    return b.Value;
                case Comparison { Left: Variable, Right: Constant k } c:
                    return range.Decide(c.Op, k.Value);
                case Logic { Op: LogicOp.Not } not:
                    return Decide(not.Operands[0], range) is bool inner ? !inner : null;
                case Logic { Op: LogicOp.And } conjunction:
                {
                    var parts = conjunction.Operands.Select(o => Decide(o, range)).ToList();
                    return parts.Any(p => p == false) ? false : parts.All(p => p == true) ? true : null;
                }

                case Logic disjunction:
                {
                    var parts = disjunction.Operands.Select(o => Decide(o, range)).ToList();
                    return parts.Any(p => p == true) ? true : parts.All(p => p == false) ? false : null;
                }

                default:
                    return null;
            }
        }

        /// <summary>The part of the range where the condition holds (or fails); the range itself where it says nothing usable.</summary>
        private static ZRange Constrain(ZRange range, Expr condition, bool holds)
        {
            switch (condition)
            {
                case Comparison { Left: Variable, Right: Constant k } c:
                    return range.Constrain(holds ? c.Op : Algebra.Negate(c.Op), k.Value);
                case Logic { Op: LogicOp.Not } not:
                    return Constrain(range, not.Operands[0], !holds);
                case Logic { Op: LogicOp.And } conjunction when holds:
                    return conjunction.Operands.Aggregate(range, (r, o) => Constrain(r, o, holds: true));
                case Logic { Op: LogicOp.Or } disjunction when !holds:
                    return disjunction.Operands.Aggregate(range, (r, o) => Constrain(r, o, holds: false));
                default:
                    return range;
            }
        }

        /// <summary>
        /// An interval of z, each end open or closed. The reasoning is over real z: a NaN input, for which every
        /// comparison is false, may take another branch than the unpruned chain would have given it.
        /// </summary>
        private readonly struct ZRange : IEquatable<ZRange>
        {
            public static readonly ZRange All = new(double.NegativeInfinity, true, double.PositiveInfinity, true);

            private readonly double lo;
            private readonly bool loOpen;
            private readonly double hi;
            private readonly bool hiOpen;

            private ZRange(double lo, bool loOpen, double hi, bool hiOpen)
            {
                this.lo = lo;
                this.loOpen = loOpen;
                this.hi = hi;
                this.hiOpen = hiOpen;
            }

            public bool? Decide(CompareOp op, double k)
            {
                switch (op)
                {
                    case CompareOp.Less:
                        return hi < k || (hi == k && hiOpen) ? true : lo >= k ? false : null;
                    case CompareOp.LessOrEqual:
                        return hi <= k ? true : lo > k || (lo == k && loOpen) ? false : null;
                    case CompareOp.Greater:
                        return lo > k || (lo == k && loOpen) ? true : hi <= k ? false : null;
                    case CompareOp.GreaterOrEqual:
                        return lo >= k ? true : hi < k || (hi == k && hiOpen) ? false : null;
                    case CompareOp.Equal:
                        return lo == k && hi == k && !loOpen && !hiOpen ? true : Excludes(k) ? false : null;
                    default:
                        return lo == k && hi == k && !loOpen && !hiOpen ? false : Excludes(k) ? true : null;
                }
            }

            public ZRange Constrain(CompareOp op, double k) => op switch
            {
                CompareOp.Less => k < hi || (k == hi && !hiOpen) ? new ZRange(lo, loOpen, k, true) : this,
                CompareOp.LessOrEqual => k < hi ? new ZRange(lo, loOpen, k, false) : this,
                CompareOp.Greater => k > lo || (k == lo && !loOpen) ? new ZRange(k, true, hi, hiOpen) : this,
                CompareOp.GreaterOrEqual => k > lo ? new ZRange(k, false, hi, hiOpen) : this,
                CompareOp.Equal => Excludes(k) ? this : new ZRange(k, false, k, false),
                _ => this,
            };

            private bool Excludes(double k) => k < lo || (k == lo && loOpen) || k > hi || (k == hi && hiOpen);

            public bool Equals(ZRange other) => lo.Equals(other.lo) && loOpen == other.loOpen && hi.Equals(other.hi) && hiOpen == other.hiOpen;

            public override bool Equals(object? obj) => obj is ZRange other && Equals(other);

            public override int GetHashCode() => ((lo.GetHashCode() * 31 + hi.GetHashCode()) * 4) + (loOpen ? 2 : 0) + (hiOpen ? 1 : 0);
        }
    }
}
