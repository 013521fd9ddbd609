using System.Globalization;

namespace FhirGateway.Bench;

/// <summary>The command line every benchmark reads: <c>--flag</c> or <c>--flag value</c>, applied to an options record in order.</summary>
internal static class BenchArgs
{
    /// <summary>
    /// The options with every argument applied by <paramref name="apply"/> (the flag, and a function that takes the
    /// next argument as its value); null, with the message and <paramref name="usage"/> printed, when one cannot be read.
    /// </summary>
    public static T? Parse<T>(string[] args, T defaults, string usage, Func<T, string, Func<string>, T> apply)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(apply);
        var options = defaults;
        for (var i = 0; i < args.Length; i++)
        {
            var flag = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{flag} needs a value.");
            try
            {
                options = apply(options, flag, Value);
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine(e.Message);
                Console.Error.WriteLine(usage);
                return null;
            }
        }

        return options;
    }

    /// <summary>A whole number above 0.</summary>
    public static int Positive(string value) =>
        int.Parse(value, CultureInfo.InvariantCulture) is > 0 and var n ? n : throw new FormatException($"{value} must be above 0.");

    /// <summary>The error for a flag the benchmark does not know.</summary>
    public static FormatException Unknown(string flag) => new($"Unknown option {flag}.");
}
