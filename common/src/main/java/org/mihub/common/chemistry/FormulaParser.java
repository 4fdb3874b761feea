package org.mihub.common.chemistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.mihub.common.chemistry.FormulaException.Kind;

/**
 * Parses chemical formulas as materials scientists write them: element symbols with integer or
 * decimal amounts, nested {@code ()} and {@code []} groups with multipliers, hydrates and adducts
 * joined by {@code ·} or {@code *} with a leading multiplier ({@code CuSO4·5H2O}), and spaces
 * anywhere between tokens. Errors say what is wrong and the 0-based position.
 *
 * <p>Hand-written: a recursive-descent parser over this small grammar, because no
 * permissively licensed Java library parses formulas with positions in its errors.
 *
 * <pre>
 * formula  := part (('·' | '*') part)*
 * part     := amount? group+
 * group    := element amount? | '(' group+ ')' amount? | '[' group+ ']' amount?
 * element  := [A-Z][a-z]?          (must be in the element table; D and T are hydrogen)
 * amount   := digits ('.' digits)? | '.' digits     (must be &gt; 0)
 * </pre>
 *
 * <p>Hydrogen isotopes: deuterium {@code D} and tritium {@code T} count as hydrogen in the
 * composition (a featuriser sees {@code D2O} as {@code H2O}); the formula as written keeps the label.
 * {@link #parseForgiving} also drops an element written with a zero amount ({@code Ba0Cu1O2}), with a
 * warning, as real tables have them; {@link #parse} refuses it.
 *
 * <p>Bounded: brackets nest at most {@link #MAX_DEPTH} levels and no amount, written or
 * multiplied out, exceeds {@link #MAX_AMOUNT}; beyond either the error names the position.
 */
public final class FormulaParser {

    /**
     * Deepest bracket nesting accepted. Real formulas nest two or three levels; the bound keeps a
     * hostile input (thousands of open brackets) from exhausting the parser's stack.
     */
    public static final int MAX_DEPTH = 32;

    /**
     * Largest amount accepted, written or after group multipliers: far beyond any stoichiometry
     * (a polymer's repeat unit, a supercell), small enough that a typo such as 10^20 is refused.
     */
    public static final double MAX_AMOUNT = 1_000_000;

    private final String text;
    private final boolean forgiving;
    private final List<Warning> warnings = new ArrayList<>();
    private int position;

    private FormulaParser(String text, boolean forgiving) {
        this.text = text;
        this.forgiving = forgiving;
    }

    /** Something {@link #parseForgiving} let pass: what, and the 0-based position in the formula. */
    public record Warning(int position, String message) {
    }

    /** A composition and what was let pass to read it. */
    public record Forgiving(Composition composition, List<Warning> warnings) {
    }

    /** The composition of a formula; {@link FormulaException} with the position when it is not one. */
    public static Composition parse(String formula) {
        if (formula == null || formula.isBlank()) {
            throw new FormulaException(Kind.EMPTY, 0, "empty formula");
        }
        return new FormulaParser(formula, false).formula();
    }

    /**
     * As {@link #parse}, except that an element written with a zero amount ({@code Ba0Cu1O2}) is left
     * out of the composition with a warning naming it and its position. A formula of nothing else is
     * still refused.
     */
    public static Forgiving parseForgiving(String formula) {
        if (formula == null || formula.isBlank()) {
            throw new FormulaException(Kind.EMPTY, 0, "empty formula");
        }
        FormulaParser parser = new FormulaParser(formula, true);
        Composition composition = parser.formula();
        return new Forgiving(composition, List.copyOf(parser.warnings));
    }

    private Composition formula() {
        Map<String, Double> total = new LinkedHashMap<>();
        do {
            skipSpaces();
            double multiplier = atEnd() || !startsAmount() ? 1 : amount();
            int multiplierEnd = position;
            Map<String, Double> part = groups(0);
            part.forEach((element, amount) -> merge(total, element, amount * multiplier, multiplierEnd));
            skipSpaces();
        } while (!atEnd() && separator());
        if (!atEnd()) {
            char c = text.charAt(position);
            if (c == ')' || c == ']') {
                throw new FormulaException(Kind.UNBALANCED, position, "unbalanced '" + c + "'");
            }
            throw new FormulaException(Kind.UNEXPECTED_CHARACTER, position, "unexpected character '" + c + "'");
        }
        return new Composition(total);
    }

    private boolean separator() {
        char c = text.charAt(position);
        if (c == '·' || c == '*' || c == '•' || c == '⋅') {
            position++;
            skipSpaces();
            if (atEnd()) {
                throw new FormulaException(Kind.EMPTY, position, "nothing after '" + c + "'");
            }
            return true;
        }
        return false;
    }

    /** One or more groups, up to a closing bracket or the end of the part. */
    private Map<String, Double> groups(int depth) {
        Map<String, Double> amounts = new LinkedHashMap<>();
        int start = position;
        while (true) {
            skipSpaces();
            if (atEnd()) {
                break;
            }
            char c = text.charAt(position);
            if (c == '(' || c == '[') {
                int open = position;
                char close = c == '(' ? ')' : ']';
                if (depth + 1 > MAX_DEPTH) {
                    throw new FormulaException(Kind.UNBALANCED, open, "brackets nested deeper than " + MAX_DEPTH
                            + " levels");
                }
                position++;
                Map<String, Double> inner = groups(depth + 1);
                skipSpaces();
                if (atEnd() || text.charAt(position) != close) {
                    throw new FormulaException(Kind.UNBALANCED, open, "unbalanced '" + c + "'");
                }
                if (inner.isEmpty()) {
                    throw new FormulaException(Kind.EMPTY, open, "empty group");
                }
                position++;
                double multiplier = optionalAmount();
                int at = position;
                inner.forEach((element, amount) -> merge(amounts, element, amount * multiplier, at));
            } else if (c >= 'A' && c <= 'Z') {
                int at = position;
                String written = text.substring(at, Math.min(text.length(), position + 2));
                String symbol = element();
                written = written.substring(0, Math.min(written.length(), position - at));
                int amountAt = position;
                double amount = forgiving ? optionalAmountOrZero() : optionalAmount();
                if (amount == 0) {
                    warnings.add(new Warning(amountAt, "element '" + written + "' with amount 0 at position "
                            + amountAt + " was left out"));
                } else {
                    merge(amounts, symbol, amount, position);
                }
            } else if (c == ')' || c == ']') {
                if (depth == 0) {
                    throw new FormulaException(Kind.UNBALANCED, position, "unbalanced '" + c + "'");
                }
                break;
            } else if (c == '-') {
                throw new FormulaException(Kind.BAD_AMOUNT, position, "negative amount");
            } else if (startsAmount()) {
                throw new FormulaException(Kind.UNEXPECTED_CHARACTER, position, "amount without an element");
            } else if (c == '·' || c == '*' || c == '•' || c == '⋅') {
                break;
            } else if (c >= 'a' && c <= 'z') {
                throw new FormulaException(Kind.UNKNOWN_ELEMENT, position,
                        "element symbols start with a capital letter, found '" + c + "'");
            } else {
                throw new FormulaException(Kind.UNEXPECTED_CHARACTER, position, "unexpected character '" + c + "'");
            }
        }
        if (amounts.isEmpty() && depth == 0) {
            throw new FormulaException(Kind.EMPTY, start, warnings.isEmpty() ? "no element"
                    : "no element with an amount above 0");
        }
        return amounts;
    }

    /** Adds an element's amount; a sum beyond {@link #MAX_AMOUNT} is refused where it arises. */
    private static void merge(Map<String, Double> amounts, String element, double amount, int at) {
        double sum = amounts.merge(element, amount, Double::sum);
        if (sum > MAX_AMOUNT) {
            throw new FormulaException(Kind.BAD_AMOUNT, Math.max(0, at - 1), "the amount of " + element + " reaches "
                    + sum + ", more than " + (long) MAX_AMOUNT);
        }
    }

    private String element() {
        int start = position;
        position++;
        if (!atEnd() && Character.isLowerCase(text.charAt(position))) {
            String two = text.substring(start, position + 1);
            if (Elements.find(two).isPresent()) {
                position++;
                return two;
            }
            throw new FormulaException(Kind.UNKNOWN_ELEMENT, start, "unknown element '" + two + "'");
        }
        String one = text.substring(start, position);
        if (one.equals("D") || one.equals("T")) {
            return "H"; // deuterium, tritium
        }
        if (Elements.find(one).isEmpty()) {
            throw new FormulaException(Kind.UNKNOWN_ELEMENT, start, "unknown element '" + one + "'");
        }
        return one;
    }

    /** An amount after an element or group, spaces allowed before it ("Fe 2 O 3"); 1 when there is none. */
    private double optionalAmount() {
        int before = position;
        skipSpaces();
        if (!atEnd() && text.charAt(position) == '-') {
            throw new FormulaException(Kind.BAD_AMOUNT, position, "negative amount");
        }
        if (!atEnd() && startsAmount()) {
            return amount();
        }
        position = before;
        return 1;
    }

    /** As {@link #optionalAmount}, but an amount of exactly 0 is answered as 0 rather than refused. */
    private double optionalAmountOrZero() {
        int before = position;
        skipSpaces();
        if (!atEnd() && startsAmount()) {
            int start = position;
            while (!atEnd() && (Character.isDigit(text.charAt(position)) || text.charAt(position) == '.')) {
                position++;
            }
            String written = text.substring(start, position);
            position = start;
            if (written.matches("0+(\\.0*)?|\\.0+")) {
                position += written.length();
                return 0;
            }
        }
        position = before;
        return optionalAmount();
    }

    private boolean startsAmount() {
        char c = text.charAt(position);
        return Character.isDigit(c) || (c == '.' && position + 1 < text.length()
                && Character.isDigit(text.charAt(position + 1)));
    }

    private double amount() {
        int start = position;
        while (!atEnd() && Character.isDigit(text.charAt(position))) {
            position++;
        }
        if (!atEnd() && text.charAt(position) == '.') {
            position++;
            int decimals = position;
            while (!atEnd() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            if (position == decimals) {
                throw new FormulaException(Kind.BAD_AMOUNT, start, "amount '" + text.substring(start, position)
                        + "' has no digits after the decimal point");
            }
        }
        double value = Double.parseDouble(text.substring(start, position));
        if (value <= 0) {
            throw new FormulaException(Kind.BAD_AMOUNT, start, "zero amount");
        }
        if (value > MAX_AMOUNT) {
            throw new FormulaException(Kind.BAD_AMOUNT, start, "amount '" + text.substring(start, position)
                    + "' is larger than " + (long) MAX_AMOUNT);
        }
        return value;
    }

    private void skipSpaces() {
        while (!atEnd() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private boolean atEnd() {
        return position >= text.length();
    }
}
