using System;
using System.Text;

namespace Pipelines.Generator.Helpers;

/// <summary>Writes C# text line by line with an indentation level; blocks close themselves when disposed.</summary>
internal sealed class IndentedTextWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _level;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < _level; i++)
            {
                _builder.Append(IndentUnit);
            }

            _builder.Append(line);
        }

        _builder.Append('\n');
    }

    /// <summary>Writes each line of <paramref name="text"/> at the current indentation.</summary>
    public void WriteLines(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            WriteLine(line.TrimEnd('\r'));
        }
    }

    /// <summary>Writes <c>{</c>, indents, and writes <c>}</c> when the returned scope is disposed.</summary>
    public Block WriteBlock(string? header = null, string closing = "}")
    {
        if (header is not null)
        {
            WriteLine(header);
        }

        WriteLine("{");
        _level++;
        return new Block(this, closing);
    }

    public override string ToString() => _builder.ToString();

    internal readonly struct Block : IDisposable
    {
        private readonly IndentedTextWriter _writer;
        private readonly string _closing;

        public Block(IndentedTextWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._level--;
            _writer.WriteLine(_closing);
        }
    }
}
