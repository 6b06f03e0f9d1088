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
 * comparison := operand ('&lt;' | '&lt;=' | '&gt;' | '&gt;=' | '==' | '!=') operand
 * operand    := METRIC | NUMBER          (at least one side of a comparison is a metric)
 * </pre>
 */
final class ConditionParser {
    private final String source;
    private final MetricVocabulary vocabulary;
    private final List<Token> tokens;
    private int index;

    private ConditionParser(String source, MetricVocabulary vocabulary) {
        this.source = source;
        this.vocabulary = vocabulary;
        this.tokens = ConditionLexer.tokenize(source);
    }

    static ConditionNode parse(String source, MetricVocabulary vocabulary) {
        ConditionParser parser = new ConditionParser(source, vocabulary);
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
        Token first = peek();
        if (first.type() != Type.IDENT && first.type() != Type.NUMBER) {
            throw error(first, "expected a metric name, a number, 'not' or '(' but found " + first.describe());
        }
        ConditionNode.Operand left = operand();
        Token op = peek();
        if (op.type() != Type.OPERATOR) {
            throw error(op, "expected a comparison (<, <=, >, >=, ==, !=) after '" + first.text()
                    + "' but found " + op.describe());
        }
        index++;
        Token second = peek();
        if (second.type() != Type.IDENT && second.type() != Type.NUMBER) {
            throw error(second, "expected a metric name or a number after '" + op.text() + "' but found " + second.describe());
        }
        if (first.type() == Type.NUMBER && second.type() == Type.NUMBER) {
            throw error(first, "a comparison needs a metric on at least one side, not two numbers");
        }
        ConditionNode.Operand right = operand();
        return new ConditionNode.Comparison(left, ConditionNode.Operator.of(op.text()), right);
    }

    /** A metric or a number; the caller has checked the token is one of them. */
    private ConditionNode.Operand operand() {
        Token token = peek();
        index++;
        if (token.type() == Type.NUMBER) {
            return new ConditionNode.Constant(Double.parseDouble(token.text()));
        }
        return MetricTerm.resolve(token.text(), vocabulary).orElseThrow(() -> error(token,
                "unknown metric '" + token.text() + "' (known: " + vocabulary.describe() + ")" + vocabulary.otherKindHint(token.text())));
    }

    private Token peek() {
        return tokens.get(index);
    }

    private ConditionSyntaxException error(Token at, String reason) {
        return new ConditionSyntaxException(source, at.column(), reason);
    }
}
