using System.Globalization;
using System.Text.Json.Nodes;

namespace SweepCluster.Sweeps;

/// <summary>Hand-written recursive-descent parser of <c>when</c> expressions (grammar on <see cref="Condition"/>).</summary>
internal sealed class ConditionParser
{
    private enum TokenKind
    {
        Word,
        Number,
        String,
        Equal,
        NotEqual,
        LeftParen,
        RightParen,
        LeftBracket,
        RightBracket,
        Comma,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Offset, int Length);

    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly List<ComparisonNode> _comparisons = [];
    private int _position;

    private ConditionParser(string text)
    {
        _text = text;
        _tokens = Tokenize(text);
    }

    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ConditionParser(text);
        if (parser.Peek.Kind == TokenKind.End)
        {
            throw new ConditionSyntaxException("the condition is empty; write for example `model.skip_mode == additive`", 0);
        }

        var root = parser.ParseOr();
        var next = parser.Peek;
        if (next.Kind != TokenKind.End)
        {
            throw new ConditionSyntaxException($"expected 'and', 'or' or the end of the condition, found {parser.Describe(next)}", next.Offset);
        }

        return new Condition(text, root, parser._comparisons);
    }

    private Token Peek => _tokens[_position];

    private Token Next() => _tokens[_position++];

    private bool IsKeyword(Token token, string keyword) =>
        token.Kind == TokenKind.Word && string.Equals(token.Text, keyword, StringComparison.Ordinal);

    private ConditionNode ParseOr()
    {
        var left = ParseAnd();
        while (IsKeyword(Peek, "or"))
        {
            Next();
            left = new OrNode(left, ParseAnd());
        }

        return left;
    }

    private ConditionNode ParseAnd()
    {
        var left = ParseUnary();
        while (IsKeyword(Peek, "and"))
        {
            Next();
            left = new AndNode(left, ParseUnary());
        }

        return left;
    }

    private ConditionNode ParseUnary()
    {
        var token = Peek;
        if (IsKeyword(token, "not"))
        {
            Next();
            return new NotNode(ParseUnary());
        }

        if (token.Kind == TokenKind.LeftParen)
        {
            Next();
            var inner = ParseOr();
            var close = Next();
            if (close.Kind != TokenKind.RightParen)
            {
                throw new ConditionSyntaxException($"expected ')' to close the '(' at offset {token.Offset}, found {Describe(close)}", close.Offset);
            }

            return inner;
        }

        return ParseComparison();
    }

    private ComparisonNode ParseComparison()
    {
        var pathToken = Next();
        if (pathToken.Kind != TokenKind.Word || IsReserved(pathToken.Text))
        {
            throw new ConditionSyntaxException($"expected a key path such as `model.skip_mode`, found {Describe(pathToken)}", pathToken.Offset);
        }

        ValidatePath(pathToken);
        var op = Next();
        ComparisonNode node;
        switch (op.Kind)
        {
            case TokenKind.Equal:
                node = new ComparisonNode(pathToken.Text, pathToken.Offset, [ParseValue()], negate: false);
                break;
            case TokenKind.NotEqual:
                node = new ComparisonNode(pathToken.Text, pathToken.Offset, [ParseValue()], negate: true);
                break;
            case TokenKind.Word when op.Text == "in":
                node = new ComparisonNode(pathToken.Text, pathToken.Offset, ParseList(), negate: false);
                break;
            case TokenKind.Word when op.Text == "not":
                var inToken = Next();
                if (!IsKeyword(inToken, "in"))
                {
                    throw new ConditionSyntaxException($"expected 'in' after 'not', found {Describe(inToken)}", inToken.Offset);
                }

                node = new ComparisonNode(pathToken.Text, pathToken.Offset, ParseList(), negate: true);
                break;
            default:
                throw new ConditionSyntaxException(
                    $"expected '==', '!=', 'in' or 'not in' after `{pathToken.Text}`, found {Describe(op)}", op.Offset);
        }

        _comparisons.Add(node);
        return node;
    }

    private List<ConditionLiteral> ParseList()
    {
        var open = Next();
        if (open.Kind != TokenKind.LeftBracket)
        {
            throw new ConditionSyntaxException($"expected '[' to start a list of values, found {Describe(open)}", open.Offset);
        }

        var values = new List<ConditionLiteral> { ParseValue() };
        while (true)
        {
            var token = Next();
            if (token.Kind == TokenKind.RightBracket)
            {
                return values;
            }

            if (token.Kind != TokenKind.Comma)
            {
                throw new ConditionSyntaxException($"expected ',' or ']' in the list of values, found {Describe(token)}", token.Offset);
            }

            values.Add(ParseValue());
        }
    }

    private ConditionLiteral ParseValue()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.Number:
                var number = long.TryParse(token.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? JsonValue.Create(whole)
                    : JsonValue.Create(double.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture));
                return new ConditionLiteral(number, token.Offset, token.Length);
            case TokenKind.String:
                return new ConditionLiteral(JsonValue.Create(token.Text), token.Offset, token.Length);
            case TokenKind.Word when token.Text is "true" or "false":
                return new ConditionLiteral(JsonValue.Create(token.Text == "true"), token.Offset, token.Length);
            case TokenKind.Word when token.Text == "null":
                return new ConditionLiteral(null, token.Offset, token.Length);
            case TokenKind.Word when !IsReserved(token.Text):
                return new ConditionLiteral(JsonValue.Create(token.Text), token.Offset, token.Length);
            default:
                throw new ConditionSyntaxException($"expected a value (a number, a quoted or bare word, true, false or null), found {Describe(token)}", token.Offset);
        }
    }

    private void ValidatePath(Token token)
    {
        var segments = token.Text.Split('.');
        var offset = token.Offset;
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                throw new ConditionSyntaxException($"empty segment in key path `{token.Text}`", offset);
            }

            if (!char.IsAsciiLetter(segment[0]) && segment[0] != '_')
            {
                throw new ConditionSyntaxException($"key path segment `{segment}` must start with a letter or '_'", offset);
            }

            offset += segment.Length + 1;
        }
    }

    private static bool IsReserved(string word) => word is "and" or "or" or "not" or "in";

    private string Describe(Token token) => token.Kind switch
    {
        TokenKind.End => "the end of the condition",
        TokenKind.String => $"the string '{token.Text}'",
        _ => $"`{_text.Substring(token.Offset, token.Length)}`",
    };

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(TokenKind.LeftParen, "(", i++, 1));
                    continue;
                case ')':
                    tokens.Add(new Token(TokenKind.RightParen, ")", i++, 1));
                    continue;
                case '[':
                    tokens.Add(new Token(TokenKind.LeftBracket, "[", i++, 1));
                    continue;
                case ']':
                    tokens.Add(new Token(TokenKind.RightBracket, "]", i++, 1));
                    continue;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, ",", i++, 1));
                    continue;
                case '=' when At(text, i + 1) == '=':
                    tokens.Add(new Token(TokenKind.Equal, "==", i, 2));
                    i += 2;
                    continue;
                case '!' when At(text, i + 1) == '=':
                    tokens.Add(new Token(TokenKind.NotEqual, "!=", i, 2));
                    i += 2;
                    continue;
                case '=':
                    throw new ConditionSyntaxException("use '==' to compare, not '='", i);
                case '&' or '|' or '!':
                    throw new ConditionSyntaxException($"unexpected `{c}`: write 'and', 'or', 'not'", i);
                case '\'' or '"':
                    var close = text.IndexOf(c, i + 1);
                    if (close < 0)
                    {
                        throw new ConditionSyntaxException($"unterminated string: no closing {c}", i);
                    }

                    tokens.Add(new Token(TokenKind.String, text.Substring(i + 1, close - i - 1), i, close - i + 1));
                    i = close + 1;
                    continue;
            }

            if (char.IsAsciiDigit(c) || ((c == '-' || c == '+' || c == '.') && char.IsAsciiDigit(At(text, i + 1))))
            {
                i++;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '-' or '+'))
                {
                    i++;
                }

                var literal = text[start..i];
                if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    throw new ConditionSyntaxException($"`{literal}` is not a number", start);
                }

                tokens.Add(new Token(TokenKind.Number, literal, start, i - start));
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start, i - start));
                continue;
            }

            throw new ConditionSyntaxException($"unexpected character `{c}`", i);
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length, 0));
        return tokens;
    }

    private static char At(string text, int index) => index < text.Length ? text[index] : '\0';
}
