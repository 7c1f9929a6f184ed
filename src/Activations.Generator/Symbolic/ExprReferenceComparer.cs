using System.Runtime.CompilerServices;

namespace Activations.Generator.Symbolic
{
    /// <summary>
    /// Compares expression nodes by identity: "this very node", where structural equality would walk a tree
    /// (netstandard2.0 has no ReferenceEqualityComparer).
    /// </summary>
    internal sealed class ExprReferenceComparer : IEqualityComparer<Expr>
    {
        public static readonly ExprReferenceComparer Instance = new();

        public bool Equals(Expr? x, Expr? y) => ReferenceEquals(x, y);

        public int GetHashCode(Expr obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
