// The namespaces nearly every stage uses: the BCL's collections and LINQ, and the expression and model types the
// stages pass to each other.
global using System;
global using System.Collections.Generic;
global using System.Linq;
global using System.Threading;
global using Activations.Generator.Model;
global using Activations.Generator.Symbolic;
