package dev.topiary.runtime.pipeline;

import dev.topiary.runtime.pipeline.ConditionLexer.Token;
import dev.topiary.runtime.pipeline.ConditionLexer.Type;
import java.util.List;

/**
 * Recursive descent over the {@code when} grammar. Precedence, loosest first: {@code or}, {@code and},
 * {@code not}, so {@code a or b and c} means {@code a or (b and c)} as in most languages.
 * <pre>
 * expr       := andExpr (('or' | '||') andExpr)*
 * andExpr    := unary (('and' | '&amp;&amp;') unary)*
 * unary      := ('not' | '!') unary | '(' expr ')' | comparison
 * comparison := IDENT ('&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=') NUMBER
 * </pre>
 */
final class ConditionParser {
    private final String source;
    private final List<Token> tokens;
    private int index;

    private ConditionParser(String source) {
        this.source = source;
        this.tokens = ConditionLexer.tokenize(source);
    }

    static ConditionNode parse(String source) {
        ConditionParser parser = new ConditionParser(source);
        if (parser.peek().type() == Type.END) {
            throw new ConditionSyntaxException(source, 1, "empty condition");
        }
        ConditionNode node = parser.expr();
        Token rest = parser.peek();
        if (rest.type() == Type.RPAREN) {
            throw parser.error(rest, "')' without a matching '('");
        }
        if (rest.type() != Type.END) {
            throw parser.error(rest, "expected 'and', 'or' or end of expression but found " + rest.describe());
        }
        return node;
    }

    private ConditionNode expr() {
        ConditionNode left = andExpr();
        while (peek().type() == Type.OR) {
            index++;
            left = new ConditionNode.Or(left, andExpr());
        }
        return left;
    }

    private ConditionNode andExpr() {
        ConditionNode left = unary();
        while (peek().type() == Type.AND) {
            index++;
            left = new ConditionNode.And(left, unary());
        }
        return left;
    }

    private ConditionNode unary() {
        Token token = peek();
        if (token.type() == Type.NOT) {
            index++;
            return new ConditionNode.Not(unary());
        }
        if (token.type() == Type.LPAREN) {
            index++;
            ConditionNode inner = expr();
            Token close = peek();
            if (close.type() != Type.RPAREN) {
                throw error(close, "expected ')' to close the '(' at column " + token.column()
                        + " but found " + close.describe());
            }
            index++;
            return inner;
        }
        return comparison();
    }

    private ConditionNode comparison() {
        Token ident = peek();
        if (ident.type() != Type.IDENT) {
            throw error(ident, "expected a metric name, 'not' or '(' but found " + ident.describe());
        }
        MetricTerm term = MetricTerm.resolve(ident.text()).orElseThrow(() -> error(ident,
                "unknown metric '" + ident.text() + "' (known: " + MetricTerm.describeAll() + ")"));
        index++;
        Token op = peek();
        if (op.type() != Type.OPERATOR) {
            throw error(op, "expected a comparison (<, <=, >, >=, ==, !=) after '" + ident.text()
                    + "' but found " + op.describe());
        }
        index++;
        Token number = peek();
        if (number.type() != Type.NUMBER) {
            throw error(number, "expected a number after '" + op.text() + "' but found " + number.describe());
        }
        index++;
        return new ConditionNode.Comparison(term, ConditionNode.Operator.of(op.text()), Double.parseDouble(number.text()));
    }

    private Token peek() {
        return tokens.get(index);
    }

    private ConditionSyntaxException error(Token at, String reason) {
        return new ConditionSyntaxException(source, at.column(), reason);
    }
}
