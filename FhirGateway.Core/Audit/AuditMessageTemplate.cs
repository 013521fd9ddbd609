using System.Globalization;
using System.Text;

namespace FhirGateway.Core.Audit;

/// <summary>
/// An audit event's message template (<c>{OriginalFormat}</c> of its [LoggerMessage] state), split once into literal
/// UTF-8 pieces and the state's values between them, so that a line is written as UTF-8 straight from the values:
/// no message string, no separate string for the duration (~0.4 KB and its formatting per proxied call). Renders
/// exactly what the generated formatter does for the values the audit events hold (strings, integers, doubles, in the
/// invariant culture); a template or a value it does not know (a format specifier, escaped braces, another type, null)
/// is left to the formatter.
/// </summary>
internal sealed class AuditMessageTemplate
{
    private const string FormatKey = "{OriginalFormat}";

    /// <summary>Most bytes a number takes.</summary>
    private const int NumberBytes = 32;

    private readonly byte[][] _literals;
    private readonly int[] _values;
    private readonly int _literalBytes;

    private AuditMessageTemplate(string format, byte[][] literals, int[] values)
    {
        Format = format;
        _literals = literals;
        _values = values;
        _literalBytes = literals.Sum(literal => literal.Length);
    }

    /// <summary>The template this was split from.</summary>
    public string Format { get; }

    /// <summary>The template of <paramref name="state"/>, if it has one this can render.</summary>
    public static AuditMessageTemplate? Parse(IReadOnlyList<KeyValuePair<string, object?>> state)
    {
        if (FormatOf(state) is not { } format || format.Contains("{{", StringComparison.Ordinal) || format.Contains("}}", StringComparison.Ordinal))
        {
            return null;
        }

        var literals = new List<byte[]>();
        var values = new List<int>();
        var at = 0;
        while (format.IndexOf('{', at) is var open and >= 0)
        {
            var close = format.IndexOf('}', open);
            if (close < 0)
            {
                return null;
            }

            var name = format[(open + 1)..close];
            var index = IndexOf(state, name);
            if (index < 0 || name.AsSpan().ContainsAny(",:{"))
            {
                return null; // alignment or format specifier, or a value the state lacks: the formatter's to render
            }

            literals.Add(Encoding.UTF8.GetBytes(format[at..open]));
            values.Add(index);
            at = close + 1;
        }

        if (format.IndexOf('}', at) >= 0)
        {
            return null;
        }

        literals.Add(Encoding.UTF8.GetBytes(format[at..]));
        return new AuditMessageTemplate(format, [.. literals], [.. values]);
    }

    /// <summary>The <c>{OriginalFormat}</c> of <paramref name="state"/>: last, where [LoggerMessage] puts it.</summary>
    public static string? FormatOf(IReadOnlyList<KeyValuePair<string, object?>> state) =>
        state.Count > 0 && state[^1] is { Key: FormatKey, Value: string format } ? format : null;

    /// <summary>The most bytes the message takes, or -1 when a value is not one this renders.</summary>
    public int MaxBytes(IReadOnlyList<KeyValuePair<string, object?>> state)
    {
        var bytes = _literalBytes;
        foreach (var index in _values)
        {
            if (index >= state.Count)
            {
                return -1;
            }

            switch (state[index].Value)
            {
                case string text:
                    bytes += Encoding.UTF8.GetMaxByteCount(text.Length);
                    break;
                case int or long or double:
                    bytes += NumberBytes;
                    break;
                default:
                    return -1;
            }
        }

        return bytes;
    }

    /// <summary>Writes the message into <paramref name="destination"/>, at least <see cref="MaxBytes"/> long.</summary>
    public int Write(IReadOnlyList<KeyValuePair<string, object?>> state, Span<byte> destination)
    {
        var written = 0;
        for (var i = 0; i < _values.Length; i++)
        {
            _literals[i].CopyTo(destination[written..]);
            written += _literals[i].Length;
            var rest = destination[written..];
            written += state[_values[i]].Value switch
            {
                string text => Encoding.UTF8.GetBytes(text, rest),
                int number => Formatted(number, rest),
                long number => Formatted(number, rest),
                double number => Tenths(number, rest) is var tenths and > 0 ? tenths : Formatted(number, rest),
                _ => throw new InvalidOperationException("An audit value changed type after it was measured."),
            };
        }

        _literals[^1].CopyTo(destination[written..]);
        return written + _literals[^1].Length;
    }

    /// <summary>
    /// A non-negative number with at most one decimal (an audit duration, rounded to 0.1 ms) as the shortest round-trip
    /// format writes it, <c>12</c> or <c>12.3</c>, without its general algorithm; 0 for any other number. The double
    /// nearest k/10 is written as k/10 by that format, and k/10 has no shorter form that reads back to it.
    /// </summary>
    private static int Tenths(double number, Span<byte> destination)
    {
        var tenths = Math.Round(number * 10);
        if (!(number >= 0) || double.IsNegative(number) || tenths >= int.MaxValue || tenths / 10 != number)
        {
            return 0;
        }

        var value = (int)tenths;
        var written = Formatted(value / 10, destination);
        if (value % 10 != 0)
        {
            destination[written++] = (byte)'.';
            destination[written++] = (byte)('0' + value % 10);
        }

        return written;
    }

    private static int Formatted<T>(T number, Span<byte> destination) where T : IUtf8SpanFormattable =>
        number.TryFormat(destination, out var written, default, CultureInfo.InvariantCulture)
            ? written
            : throw new InvalidOperationException("A number did not fit the space measured for it.");

    private static int IndexOf(IReadOnlyList<KeyValuePair<string, object?>> state, string name)
    {
        for (var i = 0; i < state.Count; i++)
        {
            if (state[i].Key == name)
            {
                return i;
            }
        }

        return -1;
    }
}
