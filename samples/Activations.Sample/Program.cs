using System.Globalization;
using Activations.Sample;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
return SampleProgram.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
