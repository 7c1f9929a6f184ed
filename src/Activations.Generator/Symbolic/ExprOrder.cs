namespace Activations.Generator.Symbolic
{
    /// <summary>A total, deterministic order on expressions: canonical sums and products sort by it.</summary>
    internal sealed class ExprOrder : IComparer<Expr>
    {
        public static readonly ExprOrder Instance = new();

        public int Compare(Expr? x, Expr? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            int byKind = x.KindRank.CompareTo(y.KindRank);
            if (byKind != 0)
            {
                return byKind;
            }

            switch (x)
            {
                case Constant cx:
                    return cx.Value.CompareTo(((Constant)y).Value);
                case Parameter px:
                    return px.Index.CompareTo(((Parameter)y).Index);
                case Call fx when fx.Function != ((Call)y).Function:
                    return fx.Function.CompareTo(((Call)y).Function);
                case ActivationCall ax:
                    var ay = (ActivationCall)y;
                    int byTarget = string.CompareOrdinal(ax.Target.Key, ay.Target.Key);
                    if (byTarget == 0)
                    {
                        byTarget = string.CompareOrdinal(ax.Target.DerivativeName, ay.Target.DerivativeName);
                    }

                    if (byTarget != 0)
                    {
                        return byTarget;
                    }

                    if (ax.Derivative != ay.Derivative)
                    {
                        return ax.Derivative ? 1 : -1;
                    }

                    break;
                case Comparison qx when qx.Op != ((Comparison)y).Op:
                    return qx.Op.CompareTo(((Comparison)y).Op);
                case Logic lx when lx.Op != ((Logic)y).Op:
                    return lx.Op.CompareTo(((Logic)y).Op);
                case BoolConstant bx:
                    return bx.Value.CompareTo(((BoolConstant)y).Value);
            }

            var xs = x.Children;
            var ys = y.Children;
            for (int i = 0; i < Math.Min(xs.Count, ys.Count); i++)
            {
                int byChild = Compare(xs[i], ys[i]);
                if (byChild != 0)
                {
                    return byChild;
                }
            }

            return xs.Count.CompareTo(ys.Count);
        }
    }
}
