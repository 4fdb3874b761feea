package org.mihub.catalog.optimade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mihub.catalog.optimade.Filter.And;
import org.mihub.catalog.optimade.Filter.Compare;
import org.mihub.catalog.optimade.Filter.Has;
import org.mihub.catalog.optimade.Filter.Not;
import org.mihub.catalog.optimade.Filter.Operator;
import org.mihub.catalog.optimade.Filter.Or;
import org.mihub.catalog.optimade.Filter.Property;
import org.mihub.catalog.optimade.Filter.Quantifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class FilterParserTest {

    /** The labelled filters of ../shared/data/optimade (from the reference implementation's parser tests). */
    static List<JsonNode> sharedCases() throws IOException {
        Path file = Path.of("../../shared/data/optimade/filter_cases.json");
        assumeTrue(Files.isRegularFile(file), "../shared/data/optimade is absent: no labelled filters to parse");
        List<JsonNode> cases = new ArrayList<>();
        new ObjectMapper().readTree(file.toFile()).forEach(cases::add);
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyLabelledFilterIsParsedOrRefusedAsLabelled() throws IOException {
        return sharedCases().stream().map(labelled -> DynamicTest.dynamicTest(
                (labelled.get("valid").asBoolean() ? "valid: " : "invalid: ") + labelled.get("filter").asText(),
                () -> {
                    String filter = labelled.get("filter").asText();
                    if (labelled.get("valid").asBoolean()) {
                        FilterParser.parse(filter);
                    } else {
                        FilterSyntaxException refused = assertThrows(FilterSyntaxException.class,
                                () -> FilterParser.parse(filter));
                        assertTrue(refused.position() >= 1 && refused.position() <= filter.length() + 1,
                                refused.getMessage());
                    }
                }));
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
        // NOT a > b OR c = 100 AND f = "C2 H6"  ==  (NOT a > b) OR (c = 100 AND f = "C2 H6")
        Or or = assertInstanceOf(Or.class, parse("NOT a > b OR c = 100 AND f = \"C2 H6\""));
        assertEquals(2, or.parts().size());
        Not not = assertInstanceOf(Not.class, or.parts().get(0));
        assertEquals(Operator.GT, assertInstanceOf(Compare.class, not.inner()).operator());
        And and = assertInstanceOf(And.class, or.parts().get(1));
        Compare text = assertInstanceOf(Compare.class, and.parts().get(1));
        assertEquals("C2 H6", assertInstanceOf(Filter.Text.class, text.right()).value());
        assertEquals(parse("(NOT (a > b)) OR ( (c = 100) AND (f = \"C2 H6\") )"), withoutPositions(or));
    }

    @Test
    void keywordsNeedNoSpacesAroundLowerCaseNames() {
        Not not = assertInstanceOf(Not.class, parse("NOTice=val"));
        Compare compare = assertInstanceOf(Compare.class, not.inner());
        assertEquals("ice", assertInstanceOf(Property.class, compare.left()).name());
        assertEquals("val", assertInstanceOf(Property.class, compare.right()).name());
        And and = assertInstanceOf(And.class, parse("number=0.ANDnumber=.0"));
        assertEquals(2, and.parts().size());
        Filter.Known known = assertInstanceOf(Filter.Known.class, parse("x ISUNKNOWN"));
        assertEquals(false, known.known());
    }

    @Test
    void setOperatorsKeepTheirQuantifierAndTests() {
        Has only = assertInstanceOf(Has.class, parse("elements HAS ONLY \"Fe\", \"O\""));
        assertEquals(Quantifier.ONLY, only.quantifier());
        assertEquals(2, only.tuples().size());
        Has zip = assertInstanceOf(Has.class, parse("elements:elements_ratios HAS ANY \"Fe\":>0.3, \"O\":<=0.6"));
        assertEquals(2, zip.properties().size());
        assertEquals(Operator.GT, zip.tuples().get(0).get(1).operator());
        Has one = assertInstanceOf(Has.class, parse("list HAS < 3"));
        assertEquals(Quantifier.ONE, one.quantifier());
        assertEquals(Operator.LT, one.tuples().get(0).get(0).operator());
        Filter.Length length = assertInstanceOf(Filter.Length.class, parse("elements LENGTH >= 3"));
        assertEquals(Operator.GE, length.operator());
        Filter.Fuzzy starts = assertInstanceOf(Filter.Fuzzy.class, parse("chemical_formula_anonymous STARTS \"A2\""));
        assertEquals(Filter.FuzzyOperator.STARTS_WITH, starts.operator());
    }

    @Test
    void stringsUnescapeQuotesAndBackslashesOnly() {
        Compare compare = assertInstanceOf(Compare.class, parse("f = \"say \\\"hi\\\" \\\\ ok\""));
        assertEquals("say \"hi\" \\ ok", assertInstanceOf(Filter.Text.class, compare.right()).value());
        assertEquals(7, refusal("f = \"a\\nb\""), "the backslash that escapes n");
    }

    @Test
    void refusalsNameThePositionAndTheReason() {
        assertEquals(4, refusal("NOTICE=val"), "NOT, then ICE, which is no keyword");
        assertEquals(8, refusal("number=+-123"));
        assertEquals(18, refusal("nelements > 3 AND"), "a condition is missing at the end");
        assertEquals(15, refusal("(nelements > 3"), "the missing ')' is reported where the filter ends");
        assertEquals(11, refusal("nelements 3"));
        assertEquals(13, refusal("nelements < TRUE"));
        assertEquals(5, refusal("a = \"open"), "the string that is not closed");
        assertEquals(2, refusal("0_kvak IS KNOWN"), "the constant 0 must be followed by an operator");
        FilterSyntaxException refused = assertThrows(FilterSyntaxException.class,
                () -> FilterParser.parse("elements HAS ALL \"Fe\" \"O\""));
        assertTrue(refused.getMessage().contains("position 23"), refused.getMessage());
        assertTrue(refused.getMessage().contains("the string \"O\""), refused.getMessage());
    }

    @Test
    void anEmptyFilterIsNoCondition() {
        assertTrue(FilterParser.parse("").isEmpty());
        assertTrue(FilterParser.parse(" \t\n").isEmpty());
    }

    private static Filter parse(String filter) {
        return withoutPositions(FilterParser.parse(filter).orElseThrow());
    }

    private static int refusal(String filter) {
        return assertThrows(FilterSyntaxException.class, () -> FilterParser.parse(filter)).position();
    }

    /** The same tree with every position 0, to compare the structure of two filters. */
    private static Filter withoutPositions(Filter filter) {
        if (filter instanceof And and) {
            return new And(and.parts().stream().map(FilterParserTest::withoutPositions).toList(), 0);
        }
        if (filter instanceof Or or) {
            return new Or(or.parts().stream().map(FilterParserTest::withoutPositions).toList(), 0);
        }
        if (filter instanceof Not not) {
            return new Not(withoutPositions(not.inner()), 0);
        }
        if (filter instanceof Compare compare) {
            return new Compare(operand(compare.left()), compare.operator(), operand(compare.right()), 0);
        }
        return filter;
    }

    private static Filter.Operand operand(Filter.Operand operand) {
        if (operand instanceof Property property) {
            return new Property(property.path(), 0);
        }
        if (operand instanceof Filter.Text text) {
            return new Filter.Text(text.value(), 0);
        }
        if (operand instanceof Filter.Number number) {
            return new Filter.Number(number.value(), number.literal(), 0);
        }
        return new Filter.Bool(((Filter.Bool) operand).value(), 0);
    }
}
