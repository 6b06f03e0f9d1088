package dev.topiary.runtime.pipeline;

import java.util.ArrayList;
import java.util.List;

/** Splits a {@code when} expression into tokens, remembering each token's column for error messages. */
final class ConditionLexer {

    enum Type { IDENT, NUMBER, OPERATOR, AND, OR, NOT, LPAREN, RPAREN, END }

    /** {@code column} is 1-based. */
    record Token(Type type, String text, int column) {
        String describe() {
            return type == Type.END ? "end of expression" : "'" + text + "'";
        }
    }

    private final String source;
    private int pos;

    private ConditionLexer(String source) {
        this.source = source;
    }

    static List<Token> tokenize(String source) {
        return new ConditionLexer(source).run();
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            while (pos < source.length() && Character.isWhitespace(source.charAt(pos))) {
                pos++;
            }
            if (pos >= source.length()) {
                tokens.add(new Token(Type.END, "", pos + 1));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private Token next() {
        int start = pos;
        char c = source.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            // '.' joins a service kind and its own metric: prune.weightSparsity
            while (pos < source.length() && (Character.isLetterOrDigit(source.charAt(pos)) || source.charAt(pos) == '_'
                    || source.charAt(pos) == '.')) {
                pos++;
            }
            String word = source.substring(start, pos);
            Type type = switch (word) {
                case "and" -> Type.AND;
                case "or" -> Type.OR;
                case "not" -> Type.NOT;
                default -> Type.IDENT;
            };
            return new Token(type, word, start + 1);
        }
        if (Character.isDigit(c) || c == '.' || ((c == '-' || c == '+') && startsNumber(pos + 1))) {
            return number();
        }
        String two = pos + 1 < source.length() ? source.substring(pos, pos + 2) : "";
        switch (two) {
            case "<=", ">=", "==", "!=" -> {
                pos += 2;
                return new Token(Type.OPERATOR, two, start + 1);
            }
            case "&&" -> {
                pos += 2;
                return new Token(Type.AND, two, start + 1);
            }
            case "||" -> {
                pos += 2;
                return new Token(Type.OR, two, start + 1);
            }
            default -> { }
        }
        pos++;
        return switch (c) {
            case '<', '>' -> new Token(Type.OPERATOR, String.valueOf(c), start + 1);
            case '!' -> new Token(Type.NOT, "!", start + 1);
            case '(' -> new Token(Type.LPAREN, "(", start + 1);
            case ')' -> new Token(Type.RPAREN, ")", start + 1);
            case '=' -> throw error(start, "'=' is not an operator; compare with '=='");
            case '&', '|' -> throw error(start, "'" + c + "' alone is not an operator; use '" + c + c + "' or '"
                    + (c == '&' ? "and" : "or") + "'");
            case '%' -> throw error(start, "percentages are not supported; write a fraction, e.g. 0.02 for 2%");
            default -> throw error(start, "unexpected character '" + c + "'");
        };
    }

    private boolean startsNumber(int at) {
        return at < source.length() && (Character.isDigit(source.charAt(at)) || source.charAt(at) == '.');
    }

    /** Plain decimals and scientific notation, with an optional sign: 0.5, -1, .25, 3e-4, 1.5E6. */
    private Token number() {
        int start = pos;
        if (source.charAt(pos) == '-' || source.charAt(pos) == '+') {
            pos++;
        }
        int digits = skipDigits();
        if (pos < source.length() && source.charAt(pos) == '.') {
            pos++;
            digits += skipDigits();
        }
        if (digits == 0) {
            throw error(start, "malformed number '" + source.substring(start, pos) + "'");
        }
        if (pos < source.length() && (source.charAt(pos) == 'e' || source.charAt(pos) == 'E')) {
            int exponent = pos;
            pos++;
            if (pos < source.length() && (source.charAt(pos) == '-' || source.charAt(pos) == '+')) {
                pos++;
            }
            if (skipDigits() == 0) {
                throw error(exponent, "malformed exponent in number '" + source.substring(start, pos) + "'");
            }
        }
        return new Token(Type.NUMBER, source.substring(start, pos), start + 1);
    }

    private int skipDigits() {
        int from = pos;
        while (pos < source.length() && Character.isDigit(source.charAt(pos))) {
            pos++;
        }
        return pos - from;
    }

    private ConditionSyntaxException error(int index, String reason) {
        return new ConditionSyntaxException(source, index + 1, reason);
    }
}
