package org.mihub.catalog.optimade;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.mihub.catalog.optimade.Filter.Bool;
import org.mihub.catalog.optimade.Filter.FuzzyOperator;
import org.mihub.catalog.optimade.Filter.Operand;
import org.mihub.catalog.optimade.Filter.Operator;
import org.mihub.catalog.optimade.Filter.Property;
import org.mihub.catalog.optimade.Filter.Quantifier;
import org.mihub.catalog.optimade.Filter.Test;
import org.mihub.catalog.optimade.Filter.Text;

/**
 * Parses the OPTIMADE filter language into a {@link Filter}: a lexer and a recursive-descent
 * parser written from the specification's EBNF (one method per rule). Written by hand because the
 * grammar is small and LL(1) once tokenised, and because a refusal must name the character position
 * and what the grammar expected there, in the grammar's own words.
 *
 * <p>Tokenising follows the grammar's character classes: keywords are upper case and identifiers
 * lower case, so no spaces are needed between them ({@code NOTice=val} is {@code NOT ice=val},
 * {@code 0.ANDnumber=1} is {@code 0. AND number=1}); a run of capitals is split into keywords
 * from the left, longest first. One extension, as in OPTIMADE v1.2 and its reference
 * implementation: an identifier after a dot may contain {@code +}
 * ({@code _mp_stability.gga_gga+u_r2scan}).
 *
 * <p>Precedence, from the grammar: {@code NOT} binds tightest, then {@code AND}, then {@code OR}.
 */
public final class FilterParser {

    private enum Kind {
        OPEN, CLOSE, DOT, COMMA, COLON, OPERATOR, KEYWORD, IDENTIFIER, STRING, NUMBER, END
    }

    private record Token(Kind kind, String text, Object value, int position) {

        boolean is(String keyword) {
            return kind == Kind.KEYWORD && text.equals(keyword);
        }

        String describe() {
            return switch (kind) {
                case END -> "the end of the filter";
                case STRING -> "the string \"" + value + "\"";
                case NUMBER -> "the number " + text;
                case IDENTIFIER -> "the property name '" + text + "'";
                default -> "'" + text + "'";
            };
        }
    }

    /** Longest first, so that a run of capitals splits into the longest keywords. */
    private static final List<String> KEYWORDS = List.of("CONTAINS", "UNKNOWN", "LENGTH", "STARTS", "KNOWN", "FALSE",
            "ENDS", "WITH", "ONLY", "TRUE", "AND", "NOT", "HAS", "ALL", "ANY", "OR", "IS");

    private final List<Token> tokens;
    private int next;

    private FilterParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /**
     * The filter, or empty for a filter of spaces only (no condition: everything matches).
     *
     * @throws FilterSyntaxException when the string is not in the grammar
     */
    public static Optional<Filter> parse(String filter) {
        FilterParser parser = new FilterParser(new Lexer(filter).tokens());
        if (parser.peek().kind == Kind.END) {
            return Optional.empty();
        }
        Filter parsed = parser.expression();
        Token rest = parser.peek();
        if (rest.kind != Kind.END) {
            throw new FilterSyntaxException(rest.position, "expected AND, OR or the end of the filter after a "
                    + "complete condition, found " + rest.describe());
        }
        return Optional.of(parsed);
    }

    // Expression = ExpressionClause, [ OR, Expression ]
    private Filter expression() {
        int position = peek().position;
        List<Filter> parts = new ArrayList<>();
        parts.add(clause());
        while (peek().is("OR")) {
            next++;
            parts.add(clause());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.Or(List.copyOf(parts), position);
    }

    // ExpressionClause = ExpressionPhrase, [ AND, ExpressionClause ]
    private Filter clause() {
        int position = peek().position;
        List<Filter> parts = new ArrayList<>();
        parts.add(phrase());
        while (peek().is("AND")) {
            next++;
            parts.add(phrase());
        }
        return parts.size() == 1 ? parts.get(0) : new Filter.And(List.copyOf(parts), position);
    }

    // ExpressionPhrase = [ NOT ], ( Comparison | OpeningBrace, Expression, ClosingBrace )
    private Filter phrase() {
        Token first = peek();
        if (first.is("NOT")) {
            next++;
            return new Filter.Not(group(), first.position);
        }
        return group();
    }

    private Filter group() {
        Token open = peek();
        if (open.kind != Kind.OPEN) {
            return comparison();
        }
        next++;
        Filter inner = expression();
        Token close = peek();
        if (close.kind != Kind.CLOSE) {
            throw new FilterSyntaxException(close.position, "expected ')' to close the '(' at position "
                    + open.position + ", found " + close.describe());
        }
        next++;
        return inner;
    }

    // Comparison = ConstantFirstComparison | PropertyFirstComparison
    private Filter comparison() {
        Token first = peek();
        switch (first.kind) {
            case STRING, NUMBER -> {
                Operand constant = constant(take());
                Operator operator = operator("after the constant");
                return new Filter.Compare(constant, operator, operatorValue(operator), first.position);
            }
            case IDENTIFIER -> {
                return propertyFirst(property());
            }
            case KEYWORD -> {
                if (first.is("TRUE") || first.is("FALSE")) {
                    next++;
                    Operator operator = operator("after " + first.text);
                    if (operator != Operator.EQ && operator != Operator.NE) {
                        throw new FilterSyntaxException(peekPrevious().position,
                                first.text + " can only be compared with = or !=");
                    }
                    return new Filter.Compare(new Bool(first.is("TRUE"), first.position), operator, value(),
                            first.position);
                }
                throw new FilterSyntaxException(first.position,
                        "expected a property, a constant, NOT or '(', found " + first.describe());
            }
            default -> throw new FilterSyntaxException(first.position,
                    "expected a property, a constant, NOT or '(', found " + first.describe());
        }
    }

    // PropertyFirstComparison = Property, [ ValueOpRhs | KnownOpRhs | FuzzyStringOpRhs | SetOpRhs
    //                                       | SetZipOpRhs | LengthOpRhs ]
    private Filter propertyFirst(Property property) {
        Token token = peek();
        int position = property.position();
        if (token.kind == Kind.OPERATOR) {
            Operator operator = operator("");
            return new Filter.Compare(property, operator, operatorValue(operator), position);
        }
        if (token.kind == Kind.COLON) {
            List<Property> properties = new ArrayList<>(List.of(property));
            while (peek().kind == Kind.COLON) {
                next++;
                properties.add(property());
            }
            expectKeyword("HAS", "after the properties of a set zip (p1:p2 HAS ...)");
            return has(List.copyOf(properties), position);
        }
        if (token.kind != Kind.KEYWORD) {
            return new Filter.Bare(property, position);
        }
        switch (token.text) {
            case "IS" -> {
                next++;
                Token known = take();
                if (!known.is("KNOWN") && !known.is("UNKNOWN")) {
                    throw new FilterSyntaxException(known.position, "expected KNOWN or UNKNOWN after IS, found "
                            + known.describe());
                }
                return new Filter.Known(property, known.is("KNOWN"), position);
            }
            case "CONTAINS", "STARTS", "ENDS" -> {
                FuzzyOperator fuzzy = fuzzy();
                return new Filter.Fuzzy(property, fuzzy, value(), position);
            }
            case "HAS" -> {
                next++;
                return has(List.of(property), position);
            }
            case "LENGTH" -> {
                next++;
                Operator operator = peek().kind == Kind.OPERATOR ? operator("") : Operator.EQ;
                return new Filter.Length(property, operator, value(), position);
            }
            default -> {
                return new Filter.Bare(property, position);
            }
        }
    }

    // SetOpRhs = HAS, ( ValueListEntry | ALL, ValueList | ANY, ValueList | ONLY, ValueList )
    // SetZipOpRhs = PropertyZipAddon, HAS, ( ValueZip | ONLY, ValueZipList | ALL, ValueZipList | ANY, ValueZipList )
    private Filter has(List<Property> properties, int position) {
        Quantifier quantifier = Quantifier.ONE;
        Token token = peek();
        if (token.is("ALL") || token.is("ANY") || token.is("ONLY")) {
            quantifier = Quantifier.valueOf(token.text);
            next++;
        }
        boolean zip = properties.size() > 1;
        List<List<Test>> tuples = new ArrayList<>();
        tuples.add(zip ? zipTuple() : List.of(entry()));
        if (quantifier != Quantifier.ONE) {
            while (peek().kind == Kind.COMMA) {
                next++;
                tuples.add(zip ? zipTuple() : List.of(entry()));
            }
        }
        return new Filter.Has(properties, quantifier, List.copyOf(tuples), position);
    }

    // ValueZip = ValueListEntry, Colon, ValueListEntry, { Colon, ValueListEntry }
    private List<Test> zipTuple() {
        List<Test> tuple = new ArrayList<>();
        tuple.add(entry());
        Token colon = peek();
        if (colon.kind != Kind.COLON) {
            throw new FilterSyntaxException(colon.position, "expected ':' and the next value of the set zip, found "
                    + colon.describe());
        }
        while (peek().kind == Kind.COLON) {
            next++;
            tuple.add(entry());
        }
        return List.copyOf(tuple);
    }

    // ValueListEntry = Value | ValueEqRhs | ValueRelCompRhs | FuzzyStringOpRhs
    private Test entry() {
        Token token = peek();
        if (token.kind == Kind.OPERATOR) {
            Operator operator = operator("");
            return new Test(operator, null, operatorValue(operator));
        }
        if (token.is("CONTAINS") || token.is("STARTS") || token.is("ENDS")) {
            FuzzyOperator fuzzy = fuzzy();
            return new Test(null, fuzzy, value());
        }
        return new Test(Operator.EQ, null, value());
    }

    // FuzzyStringOpRhs = CONTAINS, Value | STARTS, [ WITH ], Value | ENDS, [ WITH ], Value
    private FuzzyOperator fuzzy() {
        Token token = take();
        FuzzyOperator fuzzy = switch (token.text) {
            case "CONTAINS" -> FuzzyOperator.CONTAINS;
            case "STARTS" -> FuzzyOperator.STARTS_WITH;
            default -> FuzzyOperator.ENDS_WITH;
        };
        if (fuzzy != FuzzyOperator.CONTAINS && peek().is("WITH")) {
            next++;
        }
        return fuzzy;
    }

    private Operator operator(String where) {
        Token token = peek();
        if (token.kind != Kind.OPERATOR) {
            throw new FilterSyntaxException(token.position, "expected a comparison operator (=, !=, <, <=, >, >=)"
                    + (where.isEmpty() ? "" : " " + where) + ", found " + token.describe());
        }
        next++;
        return (Operator) token.value;
    }

    /** The value after an operator: any value after = and !=, an ordered one after <, <=, >, >=. */
    private Operand operatorValue(Operator operator) {
        if (operator == Operator.EQ || operator == Operator.NE) {
            return value();
        }
        Token token = peek();
        if (token.is("TRUE") || token.is("FALSE")) {
            throw new FilterSyntaxException(token.position, token.text + " cannot be compared with "
                    + operator.symbol() + "; only = and != apply to TRUE and FALSE");
        }
        return value();
    }

    // Value = UnorderedConstant | OrderedConstant | Property
    private Operand value() {
        Token token = peek();
        switch (token.kind) {
            case STRING, NUMBER -> {
                return constant(take());
            }
            case IDENTIFIER -> {
                return property();
            }
            case KEYWORD -> {
                if (token.is("TRUE") || token.is("FALSE")) {
                    next++;
                    return new Bool(token.is("TRUE"), token.position);
                }
                throw new FilterSyntaxException(token.position, "expected a value (a string, a number, TRUE, "
                        + "FALSE or a property), found " + token.describe());
            }
            default -> throw new FilterSyntaxException(token.position, "expected a value (a string, a number, "
                    + "TRUE, FALSE or a property), found " + token.describe());
        }
    }

    // Property = Identifier, { Dot, Identifier }
    private Property property() {
        Token first = take();
        if (first.kind != Kind.IDENTIFIER) {
            throw new FilterSyntaxException(first.position, "expected a property name (lower-case letters, digits "
                    + "and '_', not starting with a digit), found " + first.describe());
        }
        List<String> path = new ArrayList<>(List.of(first.text));
        while (peek().kind == Kind.DOT) {
            next++;
            Token part = take();
            if (part.kind != Kind.IDENTIFIER) {
                throw new FilterSyntaxException(part.position, "expected a property name after '.', found "
                        + part.describe());
            }
            path.add(part.text);
        }
        return new Property(List.copyOf(path), first.position);
    }

    private static Operand constant(Token token) {
        return token.kind == Kind.STRING ? new Text((String) token.value, token.position)
                : new Filter.Number((BigDecimal) token.value, token.text, token.position);
    }

    private void expectKeyword(String keyword, String where) {
        Token token = take();
        if (!token.is(keyword)) {
            throw new FilterSyntaxException(token.position, "expected " + keyword + " " + where + ", found "
                    + token.describe());
        }
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token peekPrevious() {
        return tokens.get(next - 1);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind != Kind.END) {
            next++;
        }
        return token;
    }

    /** Splits a filter into tokens; positions are 1-based character positions. */
    private static final class Lexer {

        private final String text;
        private final List<Token> tokens = new ArrayList<>();
        private int at;

        Lexer(String text) {
            this.text = text;
        }

        List<Token> tokens() {
            while (true) {
                skipSpaces();
                if (at >= text.length()) {
                    tokens.add(new Token(Kind.END, "", null, text.length() + 1));
                    return tokens;
                }
                char c = text.charAt(at);
                int position = at + 1;
                switch (c) {
                    case '(' -> single(Kind.OPEN, "(");
                    case ')' -> single(Kind.CLOSE, ")");
                    case ',' -> single(Kind.COMMA, ",");
                    case ':' -> single(Kind.COLON, ":");
                    case '.' -> {
                        if (digitAt(at + 1)) {
                            number();
                        } else {
                            single(Kind.DOT, ".");
                        }
                    }
                    case '=' -> operator(Operator.EQ, 1);
                    case '!' -> {
                        if (at + 1 < text.length() && text.charAt(at + 1) == '=') {
                            operator(Operator.NE, 2);
                        } else {
                            throw new FilterSyntaxException(position, "'!' must be followed by '=' (the operator !=)");
                        }
                    }
                    case '<', '>' -> {
                        boolean orEqual = at + 1 < text.length() && text.charAt(at + 1) == '=';
                        operator(c == '<' ? (orEqual ? Operator.LE : Operator.LT)
                                : (orEqual ? Operator.GE : Operator.GT), orEqual ? 2 : 1);
                    }
                    case '"' -> string();
                    case '+', '-' -> number();
                    default -> {
                        if (c >= '0' && c <= '9') {
                            number();
                        } else if (c == '_' || c >= 'a' && c <= 'z') {
                            identifier();
                        } else if (c >= 'A' && c <= 'Z') {
                            keywords();
                        } else {
                            throw new FilterSyntaxException(position, "unexpected character '" + c + "'");
                        }
                    }
                }
            }
        }

        private void skipSpaces() {
            while (at < text.length() && isSpace(text.charAt(at))) {
                at++;
            }
        }

        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
        }

        private boolean digitAt(int index) {
            return index < text.length() && text.charAt(index) >= '0' && text.charAt(index) <= '9';
        }

        private void single(Kind kind, String symbol) {
            tokens.add(new Token(kind, symbol, null, at + 1));
            at++;
        }

        private void operator(Operator operator, int length) {
            tokens.add(new Token(Kind.OPERATOR, operator.symbol(), operator, at + 1));
            at += length;
        }

        // Number = [ Sign ], ( Digits, [ '.', [ Digits ] ] | '.', Digits ), [ Exponent ]
        private void number() {
            int start = at;
            if (text.charAt(at) == '+' || text.charAt(at) == '-') {
                at++;
            }
            int digits = digits();
            if (at < text.length() && text.charAt(at) == '.' && (digits > 0 || digitAt(at + 1))) {
                at++;
                digits += digits();
            }
            if (digits == 0) {
                throw new FilterSyntaxException(start + 1, "a number needs digits: found '"
                        + text.substring(start, Math.min(text.length(), at + 1)) + "'");
            }
            // Exponent = ( 'e' | 'E' ), [ Sign ], Digits -- only when digits follow, so "1E" is 1 then E...
            if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
                int sign = at + 1 < text.length() && (text.charAt(at + 1) == '+' || text.charAt(at + 1) == '-')
                        ? 1 : 0;
                if (digitAt(at + 1 + sign)) {
                    at += 1 + sign;
                    digits();
                }
            }
            String literal = text.substring(start, at);
            BigDecimal value;
            try {
                value = new BigDecimal(literal.startsWith("+") ? literal.substring(1) : literal);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new FilterSyntaxException(start + 1, "the number " + literal + " is out of range");
            }
            tokens.add(new Token(Kind.NUMBER, literal, value, start + 1));
        }

        private int digits() {
            int count = 0;
            while (digitAt(at)) {
                at++;
                count++;
            }
            return count;
        }

        // Identifier = LowercaseLetter, { LowercaseLetter | Digit }, with '_' a lower-case letter
        private void identifier() {
            int start = at;
            boolean nested = !tokens.isEmpty() && tokens.get(tokens.size() - 1).kind == Kind.DOT;
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || nested && c == '+') {
                    at++;
                } else {
                    break;
                }
            }
            tokens.add(new Token(Kind.IDENTIFIER, text.substring(start, at), null, start + 1));
        }

        /** A run of capitals: keywords from the left, longest first ({@code ISKNOWN} is IS KNOWN). */
        private void keywords() {
            int end = at;
            while (end < text.length() && text.charAt(end) >= 'A' && text.charAt(end) <= 'Z') {
                end++;
            }
            while (at < end) {
                String keyword = null;
                for (String candidate : KEYWORDS) {
                    if (text.startsWith(candidate, at) && at + candidate.length() <= end) {
                        keyword = candidate;
                        break;
                    }
                }
                if (keyword == null) {
                    throw new FilterSyntaxException(at + 1, "'" + text.substring(at, end) + "' is not a keyword of "
                            + "the filter language (property names are lower case; strings are in double quotes)");
                }
                tokens.add(new Token(Kind.KEYWORD, keyword, null, at + 1));
                at += keyword.length();
            }
        }

        // String = '"', { EscapedChar }, '"'; EscapedChar = UnescapedChar | '\', '"' | '\', '\'
        private void string() {
            int start = at;
            at++;
            StringBuilder value = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw new FilterSyntaxException(start + 1, "the string has no closing '\"'");
                }
                char c = text.charAt(at);
                if (c == '"') {
                    at++;
                    break;
                }
                if (c == '\\') {
                    char escaped = at + 1 < text.length() ? text.charAt(at + 1) : 0;
                    if (escaped != '"' && escaped != '\\') {
                        throw new FilterSyntaxException(at + 1, "in a string, '\\' may only escape '\"' or '\\'");
                    }
                    value.append(escaped);
                    at += 2;
                    continue;
                }
                if (c < 0x20 && !isSpace(c) || c == 0x7F) {
                    throw new FilterSyntaxException(at + 1, String.format("the control character U+%04X is not "
                            + "allowed in a string", (int) c));
                }
                value.append(c);
                at++;
            }
            tokens.add(new Token(Kind.STRING, text.substring(start, at), value.toString(), start + 1));
        }
    }
}
