using System.Text;

namespace LaBreaSharp;

/// <summary>Keeps a one-sentence error one sentence: whatever it echoes from the command line or a
/// file (a quoted value, or any long run without spaces) is cut to <see cref="MaxEcho"/> characters
/// and an ellipsis, so a 100 kB argument does not come back in full. Every error the CLI prints goes
/// through <see cref="Shorten"/> once, where it is written, so the places that compose messages (the
/// engine's parsers among them) need not each remember to.</summary>
public static class ErrorText
{
    public const int MaxEcho = 80;
    private const char Ellipsis = '…';

    /// <summary><paramref name="value"/> itself, or its first <see cref="MaxEcho"/> characters and an ellipsis.</summary>
    public static string Cut(string value) => value.Length <= MaxEcho ? value : string.Concat(value.AsSpan(0, MaxEcho), Ellipsis.ToString());

    public static string Shorten(string message)
    {
        if (message.Length <= MaxEcho)
            return message;
        var result = new StringBuilder(Math.Min(message.Length, 1024));
        int i = 0;
        while (i < message.Length)
        {
            // A quoted echo: an opening quote at the start or after a space or bracket, closed by a
            // quote before the end, a space or punctuation.
            if (message[i] == '\'' && (i == 0 || message[i - 1] is ' ' or '(' or '=') && ClosingQuote(message, i + 1) is int close and > 0)
            {
                result.Append('\'').Append(Cut(message[(i + 1)..close])).Append('\'');
                i = close + 1;
                continue;
            }
            int end = i;
            while (end < message.Length && message[end] != ' ' && message[end] != '\'')
                end++;
            if (end == i)
            {
                result.Append(message[i++]);
                continue;
            }
            result.Append(Cut(message[i..end]));
            i = end;
        }
        return result.ToString();
    }

    private static int ClosingQuote(string message, int from)
    {
        for (int j = from; j < message.Length; j++)
        {
            if (message[j] == '\'' && (j + 1 == message.Length || message[j + 1] is ' ' or ':' or ';' or ',' or '.' or ')' or '?' or '\n'))
                return j;
        }
        return -1;
    }
}
