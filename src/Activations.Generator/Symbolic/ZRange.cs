namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// An interval of z, each end open or closed: what the conditions around a branch say about z. Only
    /// conditions of the form <c>z op k</c> with a constant k (and their negations, conjunctions and
    /// disjunctions) are read; anything else says nothing. The reasoning is over real z: a NaN input, for
    /// which every comparison is false, may take another branch than the unpruned chain would have given it.
    /// </summary>
    internal readonly struct ZRange : IEquatable<ZRange>
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

        public bool IsAll => Equals(All);

        /// <summary>
        /// The branches of <c>c₁ ? v₁ : … : otherwise</c> that z in this range can reach, in order, each with the
        /// range before its condition and the range in which it is taken. A condition the range rules out is
        /// dropped; one it makes certain ends the chain and becomes <c>Last</c>, as the otherwise does. The one
        /// walk behind the chain builder, the lifts and the branch pruner.
        /// </summary>
        public (List<(Expr Condition, Expr Value, ZRange Before, ZRange Inside)> Branches, (Expr Value, ZRange Inside) Last) Reach(
            IEnumerable<(Expr Condition, Expr Value)> branches, Expr otherwise)
        {
            var reached = new List<(Expr, Expr, ZRange, ZRange)>();
            var rest = this;
            foreach (var (condition, value) in branches)
            {
                var decided = rest.Decide(condition);
                if (decided == false)
                {
                    continue;
                }

                var inside = rest.Constrain(condition, holds: true);
                if (decided == true)
                {
                    return (reached, (value, inside));
                }

                reached.Add((condition, value, rest, inside));
                rest = rest.Constrain(condition, holds: false);
            }

            return (reached, (otherwise, rest));
        }

        /// <summary>True or false when the condition is the same for every z in the range; null otherwise.</summary>
        public bool? Decide(Expr condition)
        {
            switch (condition)
            {
                case BoolConstant b:
                    return b.Value;
                case Comparison { Left: Variable, Right: Constant k } c:
                    return Decide(c.Op, k.Value);
                case Logic { Op: LogicOp.Not } not:
                    return Decide(not.Operands[0]) is bool inner ? !inner : null;
                case Logic { Op: LogicOp.And } conjunction:
                {
                    var parts = conjunction.Operands.Select(Decide).ToList();
                    return parts.Any(p => p == false) ? false : parts.All(p => p == true) ? true : null;
                }

                case Logic disjunction:
                {
                    var parts = disjunction.Operands.Select(Decide).ToList();
                    return parts.Any(p => p == true) ? true : parts.All(p => p == false) ? false : null;
                }

                default:
                    return null;
            }
        }

        /// <summary>The part of the range where the condition holds (or fails); the range itself where it says nothing usable.</summary>
        public ZRange Constrain(Expr condition, bool holds)
        {
            switch (condition)
            {
                case Comparison { Left: Variable, Right: Constant k } c:
                    return Constrain(holds ? c.Op : Algebra.Negate(c.Op), k.Value);
                case Logic { Op: LogicOp.Not } not:
                    return Constrain(not.Operands[0], !holds);
                case Logic { Op: LogicOp.And } conjunction when holds:
                    return conjunction.Operands.Aggregate(this, (r, o) => r.Constrain(o, holds: true));
                case Logic { Op: LogicOp.Or } disjunction when !holds:
                    return disjunction.Operands.Aggregate(this, (r, o) => r.Constrain(o, holds: false));
                default:
                    return this;
            }
        }

        private bool? Decide(CompareOp op, double k)
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

        private ZRange Constrain(CompareOp op, double k) => op switch
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
