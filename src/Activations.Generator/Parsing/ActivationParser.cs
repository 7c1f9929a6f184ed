using Activations.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Activations.Generator.Parsing
{
    /// <summary>
    /// Turns an <c>[Activation]</c> method into a <see cref="ParsedActivation"/>: checks the signature,
    /// then walks the body's <see cref="IOperation"/> tree into an <see cref="Expr"/>. Every unsupported
    /// node gets a diagnostic at that node and the walk goes on, so the user sees all problems at once.
    /// </summary>
    /// <summary>A subexpression of an activation's source, what it parsed to, and where it is evaluated.</summary>
    /// <param name="Syntax">The source expression.</param>
    /// <param name="Value">Its canonical expression, locals inlined.</param>
    /// <param name="Condition">The branch conditions it is evaluated under; <see cref="BoolConstant.True"/> outside any branch.</param>
    internal sealed record Subexpression(SyntaxNode Syntax, Expr Value, Expr Condition);

    internal sealed class ActivationParser
    {
        public const string AttributeMetadataName = "Activations.ActivationAttribute";

        private readonly IMethodSymbol method;
        private readonly Compilation compilation;
        private readonly CancellationToken cancellationToken;
        private readonly List<DiagnosticInfo> diagnostics = new();
        private List<ActivationRef> callees = new();

        /// <summary>The helpers with supplied derivatives met so far; shared with the parsers of their bodies.</summary>
        private List<HelperInfo> helpers = new();

        /// <summary>Helpers whose bodies are being parsed: a call back to one of them makes its body recursive.</summary>
        private HashSet<string> helpersInProgress = new(StringComparer.Ordinal);

        /// <summary>Helpers whose bodies call themselves, directly or not: called as written, never inlined or evaluated.</summary>
        private HashSet<string> recursiveHelpers = new(StringComparer.Ordinal);

        /// <summary>
        /// False once the body folds a constant whose source initializer names other symbols: its value
        /// then depends on declarations the body does not mention, which a cache keyed on the names it mentions cannot see.
        /// </summary>
        private bool dependsOnlyOnNamesItMentions = true;

        /// <summary>
        /// Where set, every parsed subexpression with its source and the condition under which it is evaluated
        /// (true outside any branch): ACT002 judges them one by one, each only where it runs.
        /// </summary>
        private List<Subexpression>? subexpressions;

        /// <summary>The conjunction of the branch conditions around what is being parsed.</summary>
        private Expr pathCondition = BoolConstant.True;

        private ActivationParser(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        {
            this.method = method;
            this.compilation = compilation;
            this.cancellationToken = cancellationToken;
        }

        /// <summary>
        /// Parses one method. Shape problems (<see cref="SignatureDiagnosticIds"/>) are reported by the
        /// analyzer while the user types; here they only make the method skipped, with no diagnostic.
        /// </summary>
        /// <param name="method">The <c>[Activation]</c> method.</param>
        /// <param name="syntax">Its declaration.</param>
        /// <param name="semanticModel">The semantic model of its tree.</param>
        /// <param name="cancellationToken">Cancels the walk.</param>
        /// <param name="checkGeneratedNames">
        /// False in the analyzer, which sees the compilation with the generated members already in it.
        /// </param>
        public static ParsedActivation Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken, bool checkGeneratedNames = true) =>
            ParseTracked(method, syntax, semanticModel, cancellationToken, checkGeneratedNames).Result;

        /// <summary>
        /// <see cref="Parse(IMethodSymbol, MethodDeclarationSyntax, SemanticModel, CancellationToken, bool)"/>,
        /// also saying whether the result depends only on the names its declaration mentions.
        /// </summary>
        internal static (ParsedActivation Result, bool DependsOnlyOnNamesItMentions) ParseTracked(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken, bool checkGeneratedNames = true, List<Subexpression>? subexpressions = null)
        {
            var parser = new ActivationParser(method, semanticModel.Compilation, cancellationToken) { subexpressions = subexpressions };
            var signature = SignatureOf(method);
            var self = RefOf(method);
            Expr? body = null;
            SuppliedOverride? supplied = null;
            bool shapeIsValid = false;
            try
            {
                // A declaration with syntax errors already has the compiler's diagnostics; generating from it
                // would only add broken code (a parameter without a name, say).
                shapeIsValid = !syntax.ContainsDiagnostics && !HasBrokenEnclosingNames(syntax) && !IsRepeatedDeclaration(method, syntax)
                    && CheckShape(method, syntax, cancellationToken).Count == 0;
                if (shapeIsValid && checkGeneratedNames)
                {
                    parser.CheckNameIsFree(method.Name + "Derivative", syntax.Identifier.GetLocation());
                    parser.CheckNameIsFree(method.Name + "DerivativeFromOutput", syntax.Identifier.GetLocation());
                    foreach (int index in signature.IndicesOf(ParameterRole.Learnable).Concat(signature.IndicesOf(ParameterRole.Input)))
                    {
                        parser.CheckNameIsFree(method.Name + PartialDerivative.Suffix(signature.HyperparameterNames[index]), syntax.Identifier.GetLocation());
                        parser.CheckNameIsFree(method.Name + PartialDerivative.Suffix(signature.HyperparameterNames[index]) + "FromOutput", syntax.Identifier.GetLocation());
                    }

                    if (signature.WantsSecondDerivative)
                    {
                        parser.CheckNameIsFree(method.Name + "SecondDerivative", syntax.Identifier.GetLocation());
                        parser.CheckNameIsFree(method.Name + "SecondDerivativeFromOutput", syntax.Identifier.GetLocation());
                    }
                }

                if (shapeIsValid && parser.diagnostics.Count == 0)
                {
                    body = DeepStack.Run(syntax, () => parser.ParseBody(syntax, semanticModel));
                    supplied = parser.ParseOverride();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                parser.diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(syntax.Identifier.GetLocation()), method.Name, e.GetType().Name + ": " + e.Message));
                body = null;
            }

            var distinct = parser.diagnostics.Distinct().ToEquatableArray();
            var result = new ParsedActivation(
                signature,
                self,
                distinct.Count == 0 && shapeIsValid ? body : null,
                parser.callees.Distinct().ToEquatableArray(),
                distinct,
                LocationInfo.From(syntax.Identifier.GetLocation()))
            {
                Helpers = parser.helpers.ToEquatableArray(),
                Override = supplied,
            };
            return (result, parser.dependsOnlyOnNamesItMentions);
        }

        /// <summary>
        /// The method parsed as <see cref="Parse(IMethodSymbol, MethodDeclarationSyntax, SemanticModel, CancellationToken, bool)"/>
        /// does, with each subexpression of its source and the canonical expression it parsed to (locals inlined);
        /// empty where the body cannot be parsed.
        /// </summary>
        internal static (ParsedActivation Result, IReadOnlyList<Subexpression> Subexpressions) ParseWithSubexpressions(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
        {
            var recorded = new List<Subexpression>();
            var result = ParseTracked(method, syntax, semanticModel, cancellationToken, checkGeneratedNames: false, recorded).Result;
            return (result, result.Body is null ? Array.Empty<Subexpression>() : recorded);
        }

        /// <summary>Parses with <paramref name="condition"/> added to the path condition (null, from a branch that failed to parse, adds nothing).</summary>
        private T Under<T>(Expr? condition, Func<T> parse)
        {
            var outer = pathCondition;
            pathCondition = condition is null ? outer : Algebra.And(outer, condition);
            try
            {
                return parse();
            }
            finally
            {
                pathCondition = outer;
            }
        }

        /// <summary>
        /// A second declaration of the same signature (CS0111, which the compiler reports): only the first, in
        /// source order, generates, so that no two results share a generated file.
        /// </summary>
        private static bool IsRepeatedDeclaration(IMethodSymbol method, MethodDeclarationSyntax syntax) =>
            method.ContainingType.GetMembers(method.Name).OfType<IMethodSymbol>().Any(other =>
                !SymbolEqualityComparer.Default.Equals(other, method)
                && other.Parameters.Select(p => p.Type).SequenceEqual(method.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default)
                && other.DeclaringSyntaxReferences.FirstOrDefault() is { } first
                && ComesBefore(first.SyntaxTree.FilePath, first.Span.Start, syntax.SyntaxTree.FilePath, syntax.SpanStart));

        private static bool ComesBefore(string path, int position, string otherPath, int otherPosition)
        {
            int byPath = string.CompareOrdinal(path, otherPath);
            return byPath < 0 || (byPath == 0 && position < otherPosition);
        }

        /// <summary>A namespace or containing type whose name has syntax errors (<c>namespace ;</c>) cannot be repeated.</summary>
        private static bool HasBrokenEnclosingNames(MethodDeclarationSyntax syntax) => syntax.Ancestors().Any(a => a switch
        {
            BaseNamespaceDeclarationSyntax ns => ns.Name.ContainsDiagnostics || ns.Name.IsMissing,
            TypeDeclarationSyntax type => type.Identifier.IsMissing || (type.TypeParameterList?.ContainsDiagnostics ?? false),
            _ => false,
        });

        public static ActivationRef RefOf(IMethodSymbol method) => new(
            method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            method.Name,
            method.ReturnType.SpecialType == SpecialType.System_Double,
            method.Parameters.Length);

        private static ActivationSignature SignatureOf(IMethodSymbol method)
        {
            var types = new List<TypeDeclaration>();
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                string keyword = type.IsRecord
                    ? (type.TypeKind == TypeKind.Struct ? "record struct" : "record")
                    : type.TypeKind switch
                    {
                        TypeKind.Struct => "struct",
                        TypeKind.Interface => "interface",
                        _ => "class",
                    };
                string name = type.Name + (type.TypeParameters.Length == 0 ? string.Empty : "<" + string.Join(", ", type.TypeParameters.Select(t => t.Name)) + ">");
                types.Insert(0, new TypeDeclaration(keyword, name));
            }

            var ns = method.ContainingNamespace;
            var hierarchy = new TypeHierarchy(
                ns is null || ns.IsGlobalNamespace ? null : ns.ToDisplayString(),
                types.ToEquatableArray(),
                method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            return new ActivationSignature(
                hierarchy,
                method.Name,
                AccessibilityText(method.DeclaredAccessibility),
                method.ReturnType.SpecialType == SpecialType.System_Double,
                method.Parameters.Length > 0 ? method.Parameters[0].Name : "z",
                method.Parameters.Skip(1).Select(p => p.Name).ToEquatableArray(),
                method.Parameters.Skip(1).Select(p => DefaultValueText(p, method.ReturnType.SpecialType == SpecialType.System_Double)).ToEquatableArray(),
                WantsSecondDerivative(method))
            {
                Roles = method.Parameters.Skip(1).Select(p => (int)RoleOf(p)).ToEquatableArray(),
            };
        }

        /// <summary><c>[Learnable]</c>, <c>[Input]</c>, or neither (a hyperparameter).</summary>
        private static ParameterRole RoleOf(IParameterSymbol parameter)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "Activations.LearnableAttribute":
                        return ParameterRole.Learnable;
                    case "Activations.InputAttribute":
                        return ParameterRole.Input;
                }
            }

            return ParameterRole.Hyperparameter;
        }

        /// <summary><c>[Activation(SecondDerivative = true)]</c>.</summary>
        private static bool WantsSecondDerivative(IMethodSymbol method) =>
            method.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() == "Activations.ActivationAttribute")
                .SelectMany(a => a.NamedArguments)
                .Any(n => n.Key == "SecondDerivative" && n.Value.Value is true);

        /// <summary>A parameter's default value as C# source for the activation's type, or "" when it has none.</summary>
        private static string DefaultValueText(IParameterSymbol parameter, bool isDouble)
        {
            if (!parameter.HasExplicitDefaultValue || parameter.ExplicitDefaultValue is null)
            {
                return string.Empty;
            }

            double value = Convert.ToDouble(parameter.ExplicitDefaultValue, System.Globalization.CultureInfo.InvariantCulture);
            return Emit.CSharpExpressionWriter.Literal(value, isDouble);
        }

        private static string AccessibilityText(Accessibility accessibility) => accessibility switch
        {
            Accessibility.Public => "public",
            Accessibility.Internal => "internal",
            Accessibility.Protected => "protected",
            Accessibility.ProtectedOrInternal => "protected internal",
            Accessibility.ProtectedAndInternal => "private protected",
            _ => "private",
        };

        private void Report(DiagnosticDescriptor descriptor, SyntaxNode? node, params string[] arguments) =>
            diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(node), arguments));

        private void Report(DiagnosticDescriptor descriptor, Location location, params string[] arguments) =>
            diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(location), arguments));

        /// <summary>The diagnostic ids of <see cref="CheckShape"/>, which the analyzer reports.</summary>
        public static readonly string[] SignatureDiagnosticIds =
        {
            DiagnosticDescriptors.InvalidMethodShape.Id, DiagnosticDescriptors.UnsupportedParameterType.Id, DiagnosticDescriptors.TypeNotPartial.Id,
        };

        /// <summary>Checks that the method can carry generated members: static, scalar, in partial types.</summary>
        public static List<Diagnostic> CheckShape(IMethodSymbol method, MethodDeclarationSyntax syntax, CancellationToken cancellationToken)
        {
            var found = new List<Diagnostic>();
            void Report(DiagnosticDescriptor descriptor, Location location, params object[] arguments) =>
                found.Add(Diagnostic.Create(descriptor, location, arguments));

            var name = syntax.Identifier.GetLocation();
            if (!method.IsStatic)
            {
                Report(DiagnosticDescriptors.InvalidMethodShape, name, method.Name, "static (instance methods are not supported)");
            }

            if (syntax.Body is null && syntax.ExpressionBody is null)
            {
                Report(DiagnosticDescriptors.InvalidMethodShape, name, method.Name, "a method with a body");
            }

            // One clear message for each of these, instead of a type error per parameter.
            if (method.IsGenericMethod)
            {
                Report(DiagnosticDescriptors.InvalidMethodShape, name, method.Name, "non-generic: generic activations are not supported yet; declare it for float (or double) instead");
                return found;
            }

            if (method.Parameters.Select(p => p.Type).Append(method.ReturnType).Any(IsSequence))
            {
                Report(DiagnosticDescriptors.InvalidMethodShape, name, method.Name,
                    "elementwise, 'float Name(float z, …)' on one value: the span members are generated from it. A function that couples the elements of a span, such as softmax, cannot be an [Activation]");
                return found;
            }

            var scalar = method.ReturnType.SpecialType;
            if (scalar != SpecialType.System_Single && scalar != SpecialType.System_Double || method.ReturnsByRef || method.ReturnsByRefReadonly)
            {
                Report(DiagnosticDescriptors.UnsupportedParameterType, syntax.ReturnType.GetLocation(), "The return type", method.Name, "float or double");
            }

            if (method.Parameters.Length == 0)
            {
                Report(DiagnosticDescriptors.UnsupportedParameterType, syntax.ParameterList.GetLocation(), "The parameter list", method.Name, "at least the input z");
            }

            string expected = scalar == SpecialType.System_Double ? "double" : "float";
            foreach (var (parameter, parameterSyntax) in method.Parameters.Zip(syntax.ParameterList.Parameters, (p, s) => (p, s)))
            {
                if (parameter.RefKind != RefKind.None)
                {
                    Report(DiagnosticDescriptors.UnsupportedParameterType, parameterSyntax.GetLocation(), $"Parameter '{parameter.Name}'", method.Name, $"a plain {expected} (not ref, out or in)");
                }
                else if (parameter.Type.SpecialType != scalar || parameter.IsParams)
                {
                    Report(DiagnosticDescriptors.UnsupportedParameterType, parameterSyntax.GetLocation(), $"Parameter '{parameter.Name}'", method.Name, expected + ", the activation's own type");
                }
            }

            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (!IsDeclaredPartial(type, cancellationToken, out var first))
                {
                    // No declaration at all is a type the compiler made up around broken code: skip it too.
                    Report(DiagnosticDescriptors.TypeNotPartial, first?.Identifier.GetLocation() ?? name, type.Name, method.Name);
                }
            }

            return found;
        }

        /// <summary>
        /// True when one of the type's declarations is <c>partial</c> (else ACT106), with its first declaration
        /// for the diagnostic: the one check the generator and the analyzer both make.
        /// </summary>
        internal static bool IsDeclaredPartial(INamedTypeSymbol type, CancellationToken cancellationToken, out TypeDeclarationSyntax? first)
        {
            var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<TypeDeclarationSyntax>().ToList();
            first = declarations.FirstOrDefault();
            return declarations.Any(d => d.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
        }

        private static bool IsSequence(ITypeSymbol type) =>
            type is IArrayTypeSymbol
            || (type is INamedTypeSymbol { IsGenericType: true } named
                && named.ContainingNamespace?.ToDisplayString() == "System"
                && named.Name is "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory");

        private void CheckNameIsFree(string generatedName, Location name)
        {
            var parameterTypes = method.Parameters.Select(p => p.Type).ToList();
            foreach (var member in method.ContainingType.GetMembers(generatedName))
            {
                bool clash = member is not IMethodSymbol other
                    || other.Parameters.Select(p => p.Type).SequenceEqual(parameterTypes, SymbolEqualityComparer.Default);
                if (clash)
                {
                    Report(DiagnosticDescriptors.NameCollision, name, generatedName, method.Name, method.ContainingType.Name);
                    return;
                }
            }
        }

        private Expr? ParseBody(MethodDeclarationSyntax syntax, SemanticModel model)
        {
            if (model.GetOperation(syntax, cancellationToken) is not IMethodBodyOperation body)
            {
                Report(DiagnosticDescriptors.InvalidMethodShape, syntax.Identifier.GetLocation(), method.Name, "a method with a body");
                return null;
            }

            var block = body.BlockBody ?? body.ExpressionBody;
            if (block is null)
            {
                return null;
            }

            var parsed = ParseStatements(block.Operations.ToList(), new Dictionary<ILocalSymbol, Expr>(SymbolEqualityComparer.Default));
            return parsed is null ? null : BranchPruner.Prune(parsed);
        }

        /// <summary>
        /// Parses statements up to the first return. An <c>if</c> continues with its own branch
        /// followed by the rest, so <c>if (c) return a; return b;</c> becomes <c>c ? a : b</c>.
        /// </summary>
        private Expr? ParseStatements(List<IOperation> statements, Dictionary<ILocalSymbol, Expr> locals)
        {
            for (int i = 0; i < statements.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var statement = statements[i];
                switch (statement)
                {
                    case IReturnOperation { ReturnedValue: { } value }:
                        return ParseExpression(value, locals);
                    case IVariableDeclarationGroupOperation group:
                        foreach (var declarator in group.Declarations.SelectMany(d => d.Declarators))
                        {
                            var initializer = declarator.Initializer?.Value ?? declarator.GetVariableInitializer()?.Value;
                            if (initializer is null)
                            {
                                Report(DiagnosticDescriptors.UnsupportedConstruct, declarator.Syntax, $"A local without an initializer ('{declarator.Symbol.Name}')", method.Name);
                                continue;
                            }

                            if (ParseExpression(initializer, locals) is { } local)
                            {
                                locals[declarator.Symbol] = local;
                            }
                        }

                        break;
                    case IExpressionStatementOperation { Operation: var expression }:
                        ParseAssignment(expression, locals);
                        break;
                    case IConditionalOperation conditional:
                    {
                        var rest = statements.Skip(i + 1).ToList();
                        var condition = ParseExpression(conditional.Condition, locals);
                        var whenTrue = Under(condition, () => ParseStatements(Flatten(conditional.WhenTrue).Concat(rest).ToList(), new Dictionary<ILocalSymbol, Expr>(locals, SymbolEqualityComparer.Default)));
                        var whenFalse = Under(condition is null ? null : Algebra.Not(condition), () => ParseStatements(Flatten(conditional.WhenFalse).Concat(rest).ToList(), new Dictionary<ILocalSymbol, Expr>(locals, SymbolEqualityComparer.Default)));
                        return condition is null || whenTrue is null || whenFalse is null ? null : Algebra.Piecewise(condition, whenTrue, whenFalse);
                    }

                    case IBlockOperation block:
                        statements.InsertRange(i + 1, block.Operations);
                        break;
                    case IEmptyOperation:
                        break;
                    default:
                        Report(DiagnosticDescriptors.UnsupportedConstruct, statement.Syntax, Describe(statement), method.Name);
                        return null;
                }
            }

            return null; // the compiler reports the missing return
        }

        private static IEnumerable<IOperation> Flatten(IOperation? operation) => operation switch
        {
            null => Enumerable.Empty<IOperation>(),
            IBlockOperation block => block.Operations,
            _ => new[] { operation },
        };

        private void ParseAssignment(IOperation expression, Dictionary<ILocalSymbol, Expr> locals)
        {
            switch (expression)
            {
                case IAssignmentOperation { Target: IParameterReferenceOperation parameter }:
                    Report(DiagnosticDescriptors.ParameterAssigned, expression.Syntax, method.Name, parameter.Parameter.Name);
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment:
                    if (ParseExpression(assignment.Value, locals) is { } value)
                    {
                        locals[local.Local] = value;
                    }

                    break;
                case ICompoundAssignmentOperation { Target: ILocalReferenceOperation local } compound:
                    if (locals.TryGetValue(local.Local, out var current) && ParseExpression(compound.Value, locals) is { } operand
                        && Arithmetic(compound.OperatorKind, current, operand) is { } combined)
                    {
                        locals[local.Local] = combined;
                    }
                    else
                    {
                        Report(DiagnosticDescriptors.UnsupportedConstruct, expression.Syntax, $"The compound assignment '{expression.Syntax}'", method.Name);
                    }

                    break;
                case IIncrementOrDecrementOperation { Target: IParameterReferenceOperation parameter }:
                    Report(DiagnosticDescriptors.ParameterAssigned, expression.Syntax, method.Name, parameter.Parameter.Name);
                    break;
                default:
                    Report(DiagnosticDescriptors.UnsupportedConstruct, expression.Syntax, Describe(expression), method.Name);
                    break;
            }
        }

        private Expr? ParseExpression(IOperation operation, Dictionary<ILocalSymbol, Expr> locals)
        {
            var parsed = ParseExpressionCore(operation, locals);
            if (parsed is not null && subexpressions is not null && operation.Syntax is ExpressionSyntax)
            {
                subexpressions.Add(new Subexpression(operation.Syntax, parsed, pathCondition));
            }

            return parsed;
        }

        private Expr? ParseExpressionCore(IOperation operation, Dictionary<ILocalSymbol, Expr> locals)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (operation.ConstantValue.HasValue && operation is not IInvocationOperation)
            {
                NoteSourceConstants(operation);
                switch (operation.ConstantValue.Value)
                {
                    case bool b:
                        return Algebra.Bool(b);
                    case float f:
                        return Algebra.Num(f);
                    case double d:
                        return Algebra.Num(d);
                    case int or long or short or sbyte or byte or uint or ulong or ushort or decimal:
                        return Algebra.Num(Convert.ToDouble(operation.ConstantValue.Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            switch (operation)
            {
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter.Ordinal == 0
                        ? Algebra.Z
                        : new Parameter(parameter.Parameter.Ordinal - 1, parameter.Parameter.Name);
                case ILocalReferenceOperation local:
                    if (locals.TryGetValue(local.Local, out var value))
                    {
                        return value;
                    }

                    Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax, $"The local '{local.Local.Name}' (read before it has a value)", method.Name);
                    return null;
                case IConversionOperation conversion:
                    if (!IsFloatingOrBool(conversion.Type))
                    {
                        Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax, $"The conversion to '{conversion.Type}'", method.Name);
                        return null;
                    }

                    return ParseExpression(conversion.Operand, locals);
                case IParenthesizedOperation parenthesized:
                    return ParseExpression(parenthesized.Operand, locals);
                case IBinaryOperation binary:
                    return ParseBinary(binary, locals);
                case IUnaryOperation unary:
                {
                    var operand = ParseExpression(unary.Operand, locals);
                    if (operand is null)
                    {
                        return null;
                    }

                    switch (unary.OperatorKind)
                    {
                        case UnaryOperatorKind.Minus:
                            return Algebra.Neg(operand);
                        case UnaryOperatorKind.Plus:
                            return operand;
                        case UnaryOperatorKind.Not:
                            return Algebra.Not(operand);
                        default:
                            Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax, $"The operator '{unary.OperatorKind}'", method.Name);
                            return null;
                    }
                }

                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                {
                    var condition = ParseExpression(conditional.Condition, locals);
                    var whenTrue = Under(condition, () => ParseExpression(conditional.WhenTrue, locals));
                    var otherwise = Under(condition is null ? null : Algebra.Not(condition), () => ParseExpression(whenFalse, locals));
                    return condition is null || whenTrue is null || otherwise is null ? null : Algebra.Piecewise(condition, whenTrue, otherwise);
                }

                case IInvocationOperation invocation:
                    return ParseCall(invocation, locals);
                case IInvalidOperation { Syntax: InvocationExpressionSyntax call } when GeneratedMemberCalled(call) is { } generated:
                    // The generator sees the compilation without its own output, so the call does not bind.
                    Report(DiagnosticDescriptors.UnsupportedConstruct, call, $"Calling the generated '{generated}' (a derivative inside an activation, as for a second derivative g″)", method.Name);
                    return null;
                case IInvalidOperation:
                    return null; // the compiler reports it (CS0121, CS0103, …); the method is skipped without a word of ours
                default:
                    Report(DiagnosticDescriptors.UnsupportedConstruct, operation.Syntax, Describe(operation), method.Name);
                    return null;
            }
        }

        private Expr? ParseBinary(IBinaryOperation binary, Dictionary<ILocalSymbol, Expr> locals)
        {
            bool logical = binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr
                || (binary.Type?.SpecialType == SpecialType.System_Boolean && binary.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or);
            if (binary.Type is IErrorTypeSymbol)
            {
                return null; // the compiler reports why it has no type (an ambiguous call, say); ours would be noise
            }

            if (!logical && !IsComparison(binary.OperatorKind) && !IsFloatingOrBool(binary.Type))
            {
                Report(DiagnosticDescriptors.UnsupportedConstruct, binary.Syntax, $"Arithmetic on '{binary.Type}' ('{binary.Syntax}')", method.Name);
                return null;
            }

            var left = ParseExpression(binary.LeftOperand, locals);
            var right = ParseExpression(binary.RightOperand, locals);
            if (left is null || right is null)
            {
                return null;
            }

            if (logical)
            {
                return binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And ? Algebra.And(left, right) : Algebra.Or(left, right);
            }

            var result = binary.OperatorKind switch
            {
                BinaryOperatorKind.Equals => Algebra.Compare(CompareOp.Equal, left, right),
                BinaryOperatorKind.NotEquals => Algebra.Compare(CompareOp.NotEqual, left, right),
                BinaryOperatorKind.LessThan => Algebra.Compare(CompareOp.Less, left, right),
                BinaryOperatorKind.LessThanOrEqual => Algebra.Compare(CompareOp.LessOrEqual, left, right),
                BinaryOperatorKind.GreaterThan => Algebra.Compare(CompareOp.Greater, left, right),
                BinaryOperatorKind.GreaterThanOrEqual => Algebra.Compare(CompareOp.GreaterOrEqual, left, right),
                _ => Arithmetic(binary.OperatorKind, left, right),
            };
            if (result is null)
            {
                Report(DiagnosticDescriptors.UnsupportedConstruct, binary.Syntax, $"The operator '{binary.OperatorKind}' ('{binary.Syntax}')", method.Name);
            }

            return result;
        }

        private static Expr? Arithmetic(BinaryOperatorKind kind, Expr left, Expr right) => kind switch
        {
            BinaryOperatorKind.Add => Algebra.Add(left, right),
            BinaryOperatorKind.Subtract => Algebra.Sub(left, right),
            BinaryOperatorKind.Multiply => Algebra.Mul(left, right),
            BinaryOperatorKind.Divide => Algebra.Div(left, right),
            _ => null,
        };

        private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
            or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual;

        private static bool IsFloatingOrBool(ITypeSymbol? type) =>
            type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Boolean;

        private Expr? ParseCall(IInvocationOperation invocation, Dictionary<ILocalSymbol, Expr> locals)
        {
            var target = invocation.TargetMethod;
            var arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToList();
            if (IsActivation(target))
            {
                return ParseActivationCall(invocation, target, arguments, locals);
            }

            if (SuppliedDerivatives.IsHelperShape(target) && SuppliedDerivatives.Find(target.OriginalDefinition, fromOutput: false) is { } supplied)
            {
                return ParseHelperCall(invocation, target.OriginalDefinition, supplied, arguments, locals);
            }

            if (!IsMathType(target.ContainingType) || !target.IsStatic)
            {
                Report(DiagnosticDescriptors.UnsupportedCall, invocation.Syntax, target.ContainingType?.Name + "." + target.Name, method.Name);
                return null;
            }

            var args = new List<Expr>();
            foreach (var argument in arguments)
            {
                if (ParseExpression(argument, locals) is not { } parsed)
                {
                    return null;
                }

                args.Add(parsed);
            }

            var result = SupportedCalls.TryBuild(target.Name, args);
            if (result is null)
            {
                Report(DiagnosticDescriptors.UnsupportedCall, invocation.Syntax, target.ContainingType.Name + "." + target.Name, method.Name);
            }

            return result;
        }

        private Expr? ParseActivationCall(IInvocationOperation invocation, IMethodSymbol target, List<IOperation> arguments, Dictionary<ILocalSymbol, Expr> locals)
        {
            var definition = target.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, method.OriginalDefinition))
            {
                Report(DiagnosticDescriptors.Recursion, invocation.Syntax, method.Name, string.Empty);
                return null;
            }

            if (ParseCalleeArguments(target, arguments, locals) is not { } args)
            {
                return null;
            }

            bool inThisCompilation = SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, compilation.Assembly);
            if (!inThisCompilation && target.ContainingType.GetMembers(target.Name + "Derivative").IsEmpty)
            {
                Report(DiagnosticDescriptors.CalleeNotGenerated, invocation.Syntax, method.Name, target.Name);
                return null;
            }

            var reference = RefOf(target);
            if (inThisCompilation)
            {
                callees.Add(reference);
            }

            return Algebra.ActivationCall(reference, derivative: false, args);
        }

        /// <summary>
        /// The arguments of a call to an activation or a helper: only the first may depend on the input, the rest are
        /// the callee's hyperparameters. Null (reported) where one is not in the subset or breaks that rule.
        /// </summary>
        private List<Expr>? ParseCalleeArguments(IMethodSymbol target, List<IOperation> arguments, Dictionary<ILocalSymbol, Expr> locals)
        {
            var args = new List<Expr>();
            for (int i = 0; i < arguments.Count; i++)
            {
                if (ParseExpression(arguments[i], locals) is not { } parsed)
                {
                    return null;
                }

                if (i > 0 && parsed.ContainsVariable)
                {
                    Report(DiagnosticDescriptors.HyperparameterDependsOnInput, arguments[i].Syntax, method.Name, method.Parameters[0].Name, target.Parameters[i].Name, target.Name);
                    return null;
                }

                args.Add(parsed);
            }

            return args;
        }

        /// <summary>
        /// A call to a helper with a supplied derivative: the arguments as for an activation, and, the first time the
        /// helper is met, its body and its derivative's parsed where they are in the supported subset.
        /// </summary>
        private Expr? ParseHelperCall(IInvocationOperation invocation, IMethodSymbol target, IMethodSymbol supplied, List<IOperation> arguments, Dictionary<ILocalSymbol, Expr> locals)
        {
            if (ParseCalleeArguments(target, arguments, locals) is not { } args)
            {
                return null;
            }

            // The bodies read here are not names this declaration mentions: the parse cache must not keep it.
            dependsOnlyOnNamesItMentions = false;
            var reference = RefOf(target).WithDerivative(supplied.Name);
            if (helpersInProgress.Contains(reference.Key))
            {
                recursiveHelpers.Add(reference.Key);
            }
            else if (!helpers.Any(h => h.Function.Key == reference.Key))
            {
                helpersInProgress.Add(reference.Key);
                var body = ParseOther(target);
                helpersInProgress.Remove(reference.Key);
                if (recursiveHelpers.Contains(reference.Key))
                {
                    body = null;
                }

                var derivative = ParseOther(supplied);
                helpers.Add(new HelperInfo(reference, body, new SuppliedMethod(supplied.Name, derivative)));
            }

            if (!callees.Contains(reference))
            {
                callees.Add(reference);
            }

            return Algebra.ActivationCall(reference, derivative: false, args);
        }

        /// <summary>The activation's own supplied derivatives, each body parsed where it is in the supported subset.</summary>
        private SuppliedOverride? ParseOverride()
        {
            var derivative = SuppliedDerivatives.Find(method, fromOutput: false);
            var fromOutput = SuppliedDerivatives.Find(method, fromOutput: true);
            if (derivative is null && fromOutput is null)
            {
                return null;
            }

            dependsOnlyOnNamesItMentions = false;

            // A supplied derivative may call the activation itself (swish′ = y + σ(z)(1 − y)): that is no recursion,
            // so what it calls is kept apart from the body's callees and added without the activation.
            var bodyCallees = callees;
            callees = new List<ActivationRef>();
            var supplied = new SuppliedOverride(
                derivative is null ? null : new SuppliedMethod(derivative.Name, ParseOther(derivative)),
                fromOutput is null ? null : new SuppliedMethod(fromOutput.Name, ParseOther(fromOutput)));
            var self = RefOf(method);
            bodyCallees.AddRange(callees.Where(c => c.Key != self.Key && !bodyCallees.Contains(c)));
            callees = bodyCallees;
            return supplied;
        }

        /// <summary>
        /// Any method's body in the supported subset (a helper's, a supplied derivative's) for the analyzer's checks,
        /// with the helpers it reaches; a null body where the method is not in the subset.
        /// </summary>
        internal static (Expr? Body, IReadOnlyList<HelperInfo> Helpers) ParseFunction(IMethodSymbol function, Compilation compilation, CancellationToken cancellationToken)
        {
            var parser = new ActivationParser(function, compilation, cancellationToken);
            string key = RefOf(function).Key;
            parser.helpersInProgress.Add(key);
            var body = parser.ParseOther(function);
            return (parser.recursiveHelpers.Contains(key) ? null : body, parser.helpers);
        }

        /// <summary>
        /// Another method's body (a helper's, a supplied derivative's) as an expression in its own parameters, or null
        /// where it has no single declaration with a body or leaves the supported subset: such a method is called as
        /// written. What it reports is not the activation's problem and is dropped.
        /// </summary>
        private Expr? ParseOther(IMethodSymbol other)
        {
            if (other.DeclaringSyntaxReferences.Length != 1
                || other.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax syntax
                || syntax.ContainsDiagnostics
                || !compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                return null;
            }

            var nested = new ActivationParser(other, compilation, cancellationToken)
            {
                callees = callees,
                helpers = helpers,
                helpersInProgress = helpersInProgress,
                recursiveHelpers = recursiveHelpers,
            };
            var model = compilation.GetSemanticModel(syntax.SyntaxTree);
            var body = DeepStack.Run(syntax, () => nested.ParseBody(syntax, model));
            return nested.diagnostics.Count == 0 ? body : null;
        }

        /// <summary>
        /// A constant such as <c>Consts.Alpha</c> whose initializer is <c>Other.Beta * 2</c> changes when
        /// <c>Beta</c> does, though the body never names it.
        /// </summary>
        private void NoteSourceConstants(IOperation folded)
        {
            if (!dependsOnlyOnNamesItMentions || folded is ILiteralOperation)
            {
                return;
            }

            foreach (var field in folded.DescendantsAndSelf().OfType<IFieldReferenceOperation>())
            {
                foreach (var reference in field.Field.DeclaringSyntaxReferences)
                {
                    var initializer = reference.GetSyntax(cancellationToken) switch
                    {
                        VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
                        EnumMemberDeclarationSyntax member => member.EqualsValue?.Value,
                        _ => null,
                    };
                    if (initializer is null || initializer.DescendantNodesAndSelf().OfType<SimpleNameSyntax>().Any())
                    {
                        dependsOnlyOnNamesItMentions = false;
                        return;
                    }
                }
            }
        }

        /// <summary>The name of the generated member a call names (<c>ReluDerivative</c>), or null.</summary>
        private string? GeneratedMemberCalled(InvocationExpressionSyntax call)
        {
            string? name = call.Expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
                _ => null,
            };
            foreach (string suffix in new[] { "DerivativeFromOutput", "Derivative" })
            {
                if (name is not null && name.EndsWith(suffix, StringComparison.Ordinal)
                    && method.ContainingType.GetMembers(name.Substring(0, name.Length - suffix.Length)).OfType<IMethodSymbol>().Any(IsActivation))
                {
                    return name;
                }
            }

            return null;
        }

        private static bool IsActivation(IMethodSymbol target) =>
            target.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == AttributeMetadataName);

        private static bool IsMathType(INamedTypeSymbol? type) =>
            type is not null
            && (type.SpecialType is SpecialType.System_Single or SpecialType.System_Double
                || (type.ContainingNamespace?.ToDisplayString() == "System" && type.Name is "Math" or "MathF"));

        private static string Describe(IOperation operation) => operation switch
        {
            ILoopOperation loop => $"A '{loop.LoopKind.ToString().ToLowerInvariant()}' loop",
            ISwitchOperation => "A 'switch' statement",
            ISwitchExpressionOperation => "A 'switch' expression",
            IThrowOperation => "A 'throw'",
            ITryOperation => "A 'try' statement",
            ILocalFunctionOperation => "A local function",
            IFieldReferenceOperation field => $"The non-constant field '{field.Field.Name}'",
            IPropertyReferenceOperation property => $"The property '{property.Property.Name}'",
            IObjectCreationOperation => "Object creation",
            ILiteralOperation literal => $"The literal '{literal.Syntax}'",
            IArgumentOperation => "A ref or out argument",
            _ => $"'{operation.Syntax}'",
        };
    }
}
