package org.mihub.catalog.optimade;

import java.math.BigDecimal;
import java.util.List;

/**
 * A parsed OPTIMADE filter (the grammar of the OPTIMADE specification, appendix "The Filter
 * Language EBNF Grammar"). Every node keeps the position of its first character in the filter
 * string (1-based), so a refusal can say where.
 */
public sealed interface Filter {

    int position();

    /** All of the parts hold. */
    record And(List<Filter> parts, int position) implements Filter {
    }

    /** At least one of the parts holds. */
    record Or(List<Filter> parts, int position) implements Filter {
    }

    record Not(Filter inner, int position) implements Filter {
    }

    /** {@code left op right}; either side may be a property or a constant. */
    record Compare(Operand left, Operator operator, Operand right, int position) implements Filter {
    }

    /** {@code property IS KNOWN} ({@code known}) or {@code IS UNKNOWN}. */
    record Known(Property property, boolean known, int position) implements Filter {
    }

    /** {@code property CONTAINS | STARTS [WITH] | ENDS [WITH] value}. */
    record Fuzzy(Property property, FuzzyOperator operator, Operand value, int position) implements Filter {
    }

    /**
     * {@code property HAS ...} for one property, or {@code p1:p2:... HAS ...} (set zip) for several:
     * each tuple has one test per property.
     */
    record Has(List<Property> properties, Quantifier quantifier, List<List<Test>> tuples, int position)
            implements Filter {
    }

    /** {@code property LENGTH [op] value}; without an operator the operator is {@code =}. */
    record Length(Property property, Operator operator, Operand value, int position) implements Filter {
    }

    /** A property name alone, without anything to compare it with: grammatical, but no condition. */
    record Bare(Property property, int position) implements Filter {
    }

    /** One side of a comparison. */
    sealed interface Operand {
        int position();
    }

    /** A dotted property name, e.g. {@code elements} or {@code _mihub_band_gap}. */
    record Property(List<String> path, int position) implements Operand {

        public String name() {
            return String.join(".", path);
        }
    }

    /** A string as written, unescaped. */
    record Text(String value, int position) implements Operand {
    }

    /** A number as written. */
    record Number(BigDecimal value, String literal, int position) implements Operand {
    }

    record Bool(boolean value, int position) implements Operand {
    }

    /**
     * One test of a list item in {@code HAS}: an operator with a value ({@code HAS < 3},
     * {@code HAS "Fe"} is {@code =}) or a fuzzy string test.
     */
    record Test(Operator operator, FuzzyOperator fuzzy, Operand value) {
    }

    enum Operator {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** The operator with its sides swapped: {@code 5 < x} is {@code x > 5}. */
        public Operator mirrored() {
            return switch (this) {
                case LT -> GT;
                case LE -> GE;
                case GT -> LT;
                case GE -> LE;
                default -> this;
            };
        }
    }

    enum FuzzyOperator {
        CONTAINS, STARTS_WITH, ENDS_WITH
    }

    enum Quantifier {
        /** {@code HAS value}: some item (tuple) passes the one test. */
        ONE,
        ALL, ANY, ONLY
    }
}
