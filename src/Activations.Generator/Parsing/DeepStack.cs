using System.Runtime.ExceptionServices;
using Microsoft.CodeAnalysis;

namespace Activations.Generator.Parsing
{
    /// <summary>
    /// Parsing, differentiating and emitting are recursive over the expression. A body nested thousands of
    /// levels deep would exhaust the 1 MiB stack a compiler thread may have, so such work runs on a thread
    /// of its own with a large stack (reserved, not committed). Ordinary bodies run inline.
    /// </summary>
    internal static class DeepStack
    {
        private const int InlineDepth = 200;
        private const int LargeStackBytes = 256 * 1024 * 1024;

        public static T Run<T>(SyntaxNode node, Func<T> work) => Run(SyntaxDepth(node) > InlineDepth, work);

        public static T Run<T>(Expr expr, Func<T> work) => Run(ExprDepth(expr) > InlineDepth, work);

        private static T Run<T>(bool deep, Func<T> work)
        {
            if (!deep)
            {
                return work();
            }

            T result = default!;
            ExceptionDispatchInfo? failure = null;
            var thread = new Thread(
                () =>
                {
                    try
                    {
                        result = work();
                    }
                    catch (Exception e)
                    {
                        failure = ExceptionDispatchInfo.Capture(e);
                    }
                },
                LargeStackBytes);
            thread.Start();
            thread.Join();
            failure?.Throw();
            return result;
        }

        /// <summary>The nesting depth of a syntax tree, measured without recursion.</summary>
        private static int SyntaxDepth(SyntaxNode root)
        {
            int deepest = 0;
            foreach (var node in root.DescendantNodes())
            {
                int depth = 0;
                for (var n = node; n != root && n is not null && depth <= InlineDepth; n = n.Parent)
                {
                    depth++;
                }

                deepest = Math.Max(deepest, depth);
                if (deepest > InlineDepth)
                {
                    break;
                }
            }

            return deepest;
        }

        /// <summary>The depth of an expression, measured without recursion (shared subtrees count once).</summary>
        private static int ExprDepth(Expr root)
        {
            var pending = new System.Collections.Generic.Stack<(Expr Node, int Depth)>();
            var seen = new System.Collections.Generic.HashSet<Expr>(ExprReferenceComparer.Instance);
            pending.Push((root, 1));
            int deepest = 0;
            while (pending.Count > 0)
            {
                var (node, depth) = pending.Pop();
                deepest = Math.Max(deepest, depth);
                if (deepest > InlineDepth)
                {
                    return deepest;
                }

                foreach (var child in node.Children.Where(c => seen.Add(c)))
                {
                    pending.Push((child, depth + 1));
                }
            }

            return deepest;
        }
    }
}
