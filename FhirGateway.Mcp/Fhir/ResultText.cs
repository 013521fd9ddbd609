using System.Text;

namespace FhirGateway.Mcp.Fhir;

/// <summary>
/// An answer built within a character budget (<c>FHIR_GATEWAY_MCP_MAX_RESULT_CHARS</c>): lines are added while
/// they fit, and what did not fit is counted and said at the end, so the agent knows it saw only part.
/// </summary>
internal sealed class ResultText(int budget)
{
    private const int Reserve = 400; // for the closing notes

    private readonly StringBuilder _text = new();
    private readonly List<string> _notes = [];
    private int _cut;

    /// <summary>Adds a line if it fits; false (and counted as cut) when it does not.</summary>
    public bool TryAdd(string line)
    {
        if (_text.Length + line.Length + 1 > budget - Reserve)
        {
            _cut++;
            return false;
        }

        _text.AppendLine(line);
        return true;
    }

    /// <summary>A line that must be in the answer (a header, a page token); shortened if it alone is too long.</summary>
    public void Add(string line) => _text.AppendLine(line.Length > budget / 2 ? line[..(budget / 2)] + "…" : line);

    public void Note(string note) => _notes.Add(note);

    public override string ToString()
    {
        var text = new StringBuilder(_text.ToString());
        if (_cut > 0)
        {
            text.AppendLine($"Note: {_cut} more item(s) were cut to keep this answer under {budget} characters; ask for fewer (count, elements) or page on.");
        }

        foreach (var note in _notes)
        {
            text.AppendLine($"Note: {note}");
        }

        return text.ToString().TrimEnd();
    }
}
