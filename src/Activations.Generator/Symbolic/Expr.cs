namespace Activations.Generator.Symbolic
{
    internal enum CompareOp
    {
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Equal,
        NotEqual,
    }

    /// <summary>
    /// An immutable expression node that compares by structure and caches its hash, so that a tree is a
    /// cacheable pipeline value and common subexpressions are found by plain equality.
    /// Build nodes through <see cref="Algebra"/>, which keeps them in canonical form.
    /// </summary>
    internal abstract class Expr : IEquatable<Expr>
    {
        private int hash;
        private int containsVariable = -1;

        /// <summary>Orders node kinds for the canonical ordering of sum terms and product factors.</summary>
        public abstract int KindRank { get; }

        public abstract IReadOnlyList<Expr> Children { get; }

        /// <summary>True when the variable occurs anywhere below this node.</summary>
        public bool ContainsVariable
        {
            get
            {
                if (containsVariable < 0)
                {
                    containsVariable = this is Variable || Children.Any(c => c.ContainsVariable) ? 1 : 0;
                }

                return containsVariable == 1;
            }
        }

        public bool IsConstant(double value) => this is Constant c && c.Value.Equals(value);

        public bool Equals(Expr? other) =>
            ReferenceEquals(this, other)
            || (other is not null && other.GetType() == GetType() && other.GetHashCode() == GetHashCode() && EqualsCore(other));

        public override bool Equals(object? obj) => obj is Expr other && Equals(other);

        public override int GetHashCode()
        {
            if (hash == 0)
            {
                int computed = ComputeHash();
                hash = computed == 0 ? 1 : computed;
            }

            return hash;
        }

        public override string ToString() => Printing.MathNotation.Format(this, "z");

        protected abstract bool EqualsCore(Expr other);

        protected abstract int ComputeHash();

        /// <summary>
        /// Mixes a child's hash into its parent's with a full avalanche (the murmur3 finaliser). The cheaper
        /// <c>seed·397 ^ value</c> gave distinct deep trees equal hashes often enough that equality checks,
        /// which compare structure whenever hashes agree, dominated the time to derive a long body.
        /// </summary>
        protected static int Combine(int seed, int value)
        {
            unchecked
            {
                uint x = ((uint)seed * 0x9E3779B1u) + (uint)value;
                x ^= x >> 16;
                x *= 0x85EBCA6Bu;
                x ^= x >> 13;
                x *= 0xC2B2AE35u;
                x ^= x >> 16;
                return (int)x;
            }
        }

        protected static int CombineAll(int seed, IEnumerable<Expr> items)
        {
            foreach (var item in items)
            {
                seed = Combine(seed, item.GetHashCode());
            }

            return seed;
        }

        /// <summary>A string hash that is the same in every process (string.GetHashCode is randomised).</summary>
        internal static int StableHash(string text)
        {
            unchecked
            {
                int h = (int)2166136261;
                foreach (char c in text)
                {
                    h = (h ^ c) * 16777619;
                }

                return h;
            }
        }
    }

    internal sealed class Constant : Expr
    {
        public static readonly Constant Zero = new(0);
        public static readonly Constant One = new(1);
        public static readonly Constant MinusOne = new(-1);

        public Constant(double value) => Value = value == 0 ? 0 : value; // one zero: -0 and +0 compare equal anyway

        public double Value { get; }

        public override int KindRank => 0;

        public override IReadOnlyList<Expr> Children => Array.Empty<Expr>();

        protected override bool EqualsCore(Expr other) => Value.Equals(((Constant)other).Value);

        protected override int ComputeHash() => Combine(1, Value.GetHashCode());
    }

    /// <summary>The activation's input z (or, in an output form, the output y).</summary>
    internal sealed class Variable : Expr
    {
        public static readonly Variable Instance = new();

        private Variable()
        {
        }

        public override int KindRank => 1;

        public override IReadOnlyList<Expr> Children => Array.Empty<Expr>();

        protected override bool EqualsCore(Expr other) => true;

        protected override int ComputeHash() => 2;
    }

    /// <summary>A hyperparameter: a parameter after z, passed through unchanged.</summary>
    internal sealed class Parameter : Expr
    {
        public Parameter(int index, string name)
        {
            Index = index;
            Name = name;
        }

        /// <summary>Position among the hyperparameters (0 is the method's second parameter).</summary>
        public int Index { get; }

        public string Name { get; }

        public override int KindRank => 2;

        public override IReadOnlyList<Expr> Children => Array.Empty<Expr>();

        protected override bool EqualsCore(Expr other) => Index == ((Parameter)other).Index && Name == ((Parameter)other).Name;

        protected override int ComputeHash() => Combine(Combine(3, Index), StableHash(Name));
    }

    internal sealed class Power : Expr
    {
        public Power(Expr @base, Expr exponent)
        {
            Base = @base;
            Exponent = exponent;
        }

        public Expr Base { get; }

        public Expr Exponent { get; }

        public override int KindRank => 3;

        public override IReadOnlyList<Expr> Children => new[] { Base, Exponent };

        protected override bool EqualsCore(Expr other) => Base.Equals(((Power)other).Base) && Exponent.Equals(((Power)other).Exponent);

        protected override int ComputeHash() => Combine(Combine(4, Base.GetHashCode()), Exponent.GetHashCode());
    }

    /// <summary>A sum or a product: an operator over an ordered list of operands.</summary>
    internal abstract class Associative : Expr
    {
        private readonly int hashSeed;

        protected Associative(EquatableArray<Expr> operands, int hashSeed)
        {
            Operands = operands;
            this.hashSeed = hashSeed;
        }

        protected EquatableArray<Expr> Operands { get; }

        public override IReadOnlyList<Expr> Children => Operands;

        protected override bool EqualsCore(Expr other) => Operands.Equals(((Associative)other).Operands);

        protected override int ComputeHash() => CombineAll(hashSeed, Operands);
    }

    /// <summary>A product; a constant coefficient, if any, is the first factor.</summary>
    internal sealed class Product : Associative
    {
        public Product(EquatableArray<Expr> factors)
            : base(factors, hashSeed: 5)
        {
        }

        public EquatableArray<Expr> Factors => Operands;

        public override int KindRank => 4;
    }

    /// <summary>A sum; a constant term, if any, is the first term.</summary>
    internal sealed class Sum : Associative
    {
        public Sum(EquatableArray<Expr> terms)
            : base(terms, hashSeed: 6)
        {
        }

        public EquatableArray<Expr> Terms => Operands;

        public override int KindRank => 5;
    }

    internal sealed class Call : Expr
    {
        public Call(MathFunction function, Expr argument)
        {
            Function = function;
            Argument = argument;
        }

        public MathFunction Function { get; }

        public Expr Argument { get; }

        public override int KindRank => 6;

        public override IReadOnlyList<Expr> Children => new[] { Argument };

        protected override bool EqualsCore(Expr other) => Function == ((Call)other).Function && Argument.Equals(((Call)other).Argument);

        protected override int ComputeHash() => Combine(Combine(7, (int)Function), Argument.GetHashCode());
    }

    /// <summary>
    /// Names another <c>[Activation]</c> method, in this type or another, or a helper with a supplied derivative
    /// (<c>[Derivative(nameof(Erf))]</c>), whose derivative is the method the user wrote.
    /// </summary>
    internal sealed class ActivationRef : IEquatable<ActivationRef>
    {
        public ActivationRef(string containingType, string name, bool isDouble, int parameterCount, string? derivativeName = null)
        {
            ContainingType = containingType;
            Name = name;
            IsDouble = isDouble;
            ParameterCount = parameterCount;
            DerivativeName = derivativeName ?? name + "Derivative";
        }

        /// <summary>The method a call to the derivative names: the generated <c>NameDerivative</c>, or the user's own.</summary>
        public string DerivativeName { get; }

        /// <summary>The same function, its derivative computed by <paramref name="derivativeName"/>.</summary>
        public ActivationRef WithDerivative(string derivativeName) => new(ContainingType, Name, IsDouble, ParameterCount, derivativeName);

        /// <summary>The fully qualified containing type, with <c>global::</c>.</summary>
        public string ContainingType { get; }

        public string Name { get; }

        public bool IsDouble { get; }

        public int ParameterCount { get; }

        /// <summary>Identifies the method uniquely within a compilation (overloads differ by type and arity).</summary>
        public string Key => $"{ContainingType}.{Name}({(IsDouble ? "double" : "float")}/{ParameterCount})";

        public bool Equals(ActivationRef? other) => other is not null && Key == other.Key && DerivativeName == other.DerivativeName;

        public override bool Equals(object? obj) => Equals(obj as ActivationRef);

        public override int GetHashCode() => Expr.StableHash(Key);
    }

    /// <summary>A call to another activation or to its generated derivative (chain rule).</summary>
    internal sealed class ActivationCall : Expr
    {
        public ActivationCall(ActivationRef target, bool derivative, EquatableArray<Expr> arguments)
        {
            Target = target;
            Derivative = derivative;
            Arguments = arguments;
        }

        public ActivationRef Target { get; }

        public bool Derivative { get; }

        public EquatableArray<Expr> Arguments { get; }

        public override int KindRank => 7;

        public override IReadOnlyList<Expr> Children => Arguments;

        protected override bool EqualsCore(Expr other)
        {
            var o = (ActivationCall)other;
            return Target.Equals(o.Target) && Derivative == o.Derivative && Arguments.Equals(o.Arguments);
        }

        protected override int ComputeHash() => CombineAll(Combine(Combine(8, Target.GetHashCode()), Derivative ? 1 : 0), Arguments);
    }

    /// <summary>
    /// Ordered (condition, value) pairs and a final otherwise: the first true condition wins.
    /// <c>?:</c>, <c>if</c> chains, Abs, Max, Min, Clamp and Sign all become this one construct.
    /// </summary>
    internal sealed class Piecewise : Expr
    {
        public Piecewise(EquatableArray<Expr> conditions, EquatableArray<Expr> values, Expr otherwise)
        {
            Conditions = conditions;
            Values = values;
            Otherwise = otherwise;
        }

        public EquatableArray<Expr> Conditions { get; }

        public EquatableArray<Expr> Values { get; }

        public Expr Otherwise { get; }

        public int BranchCount => Conditions.Count;

        /// <summary>The (condition, value) pairs in order, without the otherwise.</summary>
        public IEnumerable<(Expr Condition, Expr Value)> Branches => Conditions.Zip(Values, (c, v) => (c, v));

        public override int KindRank => 8;

        public override IReadOnlyList<Expr> Children => Conditions.Concat(Values).Concat(new[] { Otherwise }).ToArray();

        protected override bool EqualsCore(Expr other)
        {
            var o = (Piecewise)other;
            return Conditions.Equals(o.Conditions) && Values.Equals(o.Values) && Otherwise.Equals(o.Otherwise);
        }

        protected override int ComputeHash() => Combine(CombineAll(CombineAll(9, Conditions), Values), Otherwise.GetHashCode());
    }

    /// <summary>A comparison; conditions linear in z are kept as <c>z op k</c>.</summary>
    internal sealed class Comparison : Expr
    {
        public Comparison(CompareOp op, Expr left, Expr right)
        {
            Op = op;
            Left = left;
            Right = right;
        }

        public CompareOp Op { get; }

        public Expr Left { get; }

        public Expr Right { get; }

        public override int KindRank => 9;

        public override IReadOnlyList<Expr> Children => new[] { Left, Right };

        protected override bool EqualsCore(Expr other)
        {
            var o = (Comparison)other;
            return Op == o.Op && Left.Equals(o.Left) && Right.Equals(o.Right);
        }

        protected override int ComputeHash() => Combine(Combine(Combine(10, (int)Op), Left.GetHashCode()), Right.GetHashCode());
    }

    internal enum LogicOp
    {
        And,
        Or,
        Not,
    }

    internal sealed class Logic : Expr
    {
        public Logic(LogicOp op, EquatableArray<Expr> operands)
        {
            Op = op;
            Operands = operands;
        }

        public LogicOp Op { get; }

        public EquatableArray<Expr> Operands { get; }

        public override int KindRank => 10;

        public override IReadOnlyList<Expr> Children => Operands;

        protected override bool EqualsCore(Expr other) => Op == ((Logic)other).Op && Operands.Equals(((Logic)other).Operands);

        protected override int ComputeHash() => CombineAll(Combine(11, (int)Op), Operands);
    }

    internal sealed class BoolConstant : Expr
    {
        public static readonly BoolConstant True = new(true);
        public static readonly BoolConstant False = new(false);

        private BoolConstant(bool value) => Value = value;

        public bool Value { get; }

        public override int KindRank => 11;

        public override IReadOnlyList<Expr> Children => Array.Empty<Expr>();

        protected override bool EqualsCore(Expr other) => Value == ((BoolConstant)other).Value;

        protected override int ComputeHash() => Value ? 12 : 13;
    }
}
