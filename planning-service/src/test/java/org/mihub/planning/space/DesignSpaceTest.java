package org.mihub.planning.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.mihub.planning.space.DesignSpace.Categorical;
import org.mihub.planning.space.DesignSpace.Continuous;
import org.mihub.planning.space.DesignSpace.CountLimit;
import org.mihub.planning.space.DesignSpace.ElementRange;
import org.mihub.planning.space.DesignSpace.IntegerRange;
import org.mihub.planning.space.DesignSpace.Linear;
import org.mihub.planning.space.DesignSpace.Parameter;
import org.mihub.planning.space.DesignSpace.Relation;

class DesignSpaceTest {

    private static final Continuous TEMPERATURE = new Continuous("temperature", "K", 600, 800, 100.0, false);
    private static final IntegerRange TIME = new IntegerRange("time", "h", 1, 5, 2);
    private static final Categorical ATMOSPHERE = new Categorical("atmosphere", List.of("argon", "air"));

    private static DesignSpace composition(List<ElementRange> elements, Double step, Integer min, Integer max) {
        return new DesignSpace(null, elements, step, min, max, List.of(), List.of(), List.of(), Set.of());
    }

    private static DesignSpace parameters(List<Parameter> parameters) {
        return new DesignSpace(null, List.of(), null, null, null, parameters, List.of(), List.of(), Set.of());
    }

    private static List<ElementRange> feNiCo() {
        return List.of(new ElementRange("Fe", 0, 1), new ElementRange("Ni", 0, 1), new ElementRange("Co", 0, 0.5));
    }

    private static Point point(Map<String, Double> composition, Map<String, Object> parameters) {
        return Point.of(composition, parameters);
    }

    private static Point fractions(Object... elementAndFraction) {
        Map<String, Double> composition = new TreeMap<>();
        for (int i = 0; i < elementAndFraction.length; i += 2) {
            composition.put((String) elementAndFraction[i], (Double) elementAndFraction[i + 1]);
        }
        return Point.of(composition, Map.of());
    }

    private static Set<String> formulas(List<Point> points) {
        Set<String> formulas = new HashSet<>();
        points.forEach(p -> formulas.add(p.formula()));
        return formulas;
    }

    @Test
    void aFiniteCompositionGridIsEnumeratedWithinItsBoundsAndElementCount() {
        List<Point> pool = composition(feNiCo(), 0.25, null, 2).pool(100, new SplittableRandom(1));
        // fractions in quarters summing to one, Co at most a half, at most two elements present
        assertEquals(Set.of("Ni1", "Fe0.25Ni0.75", "Fe0.5Ni0.5", "Fe0.75Ni0.25", "Fe1", "Co0.25Ni0.75",
                "Co0.25Fe0.75", "Co0.5Ni0.5", "Co0.5Fe0.5"), formulas(pool));
        assertEquals(9, pool.size(), "no point twice");
        // three elements allowed: the three ternaries in quarters with Co <= 0.5 join
        List<Point> ternary = composition(feNiCo(), 0.25, null, 3).pool(100, new SplittableRandom(1));
        assertEquals(12, ternary.size());
        assertTrue(formulas(ternary).containsAll(Set.of("Co0.25Fe0.5Ni0.25", "Co0.25Fe0.25Ni0.5",
                "Co0.5Fe0.25Ni0.25")));
        // at least two: the pure elements go
        Set<String> binaries = formulas(composition(feNiCo(), 0.25, 2, 2).pool(100, new SplittableRandom(1)));
        assertEquals(7, binaries.size());
        assertFalse(binaries.contains("Fe1") || binaries.contains("Ni1"));
    }

    @Test
    void everyGridPointSumsToOneExactlyAndIsFeasible() {
        DesignSpace space = composition(List.of(new ElementRange("Fe", 0.1, 0.7), new ElementRange("Ni", 0, 1),
                new ElementRange("Cr", 0.1, 0.3)), 0.1, null, null);
        List<Point> pool = space.pool(1000, new SplittableRandom(1));
        assertFalse(pool.isEmpty());
        for (Point p : pool) {
            assertNull(space.violation(p), p.formula());
            assertEquals(1.0, p.composition().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
            assertTrue(p.composition().get("Fe") >= 0.1 - 1e-12 && p.composition().get("Fe") <= 0.7 + 1e-12);
            assertTrue(p.composition().get("Cr") >= 0.1 - 1e-12 && p.composition().get("Cr") <= 0.3 + 1e-12);
        }
        // Fe 1..7 tenths, Cr 1..3 tenths, Ni the rest (0..8 tenths)
        int expected = 0;
        for (int fe = 1; fe <= 7; fe++) {
            for (int cr = 1; cr <= 3; cr++) {
                expected += fe + cr <= 10 ? 1 : 0;
            }
        }
        assertEquals(expected, pool.size());
    }

    @Test
    void aParameterGridCrossesEveryValueOfEveryParameter() {
        List<Point> pool = parameters(List.of(TEMPERATURE, TIME, ATMOSPHERE)).pool(100, new SplittableRandom(1));
        assertEquals(3 * 3 * 2, pool.size());
        Set<List<Object>> settings = new HashSet<>();
        for (Point p : pool) {
            assertTrue(p.composition().isEmpty());
            settings.add(List.of(p.parameters().get("temperature"), p.parameters().get("time"),
                    p.parameters().get("atmosphere")));
        }
        assertEquals(18, settings.size());
        // continuous values are Doubles on the step, integers Longs on theirs, categories Strings
        assertTrue(settings.contains(List.of(700.0, 3L, "air")));
        assertTrue(settings.contains(List.of(600.0, 5L, "argon")));
        assertTrue(settings.contains(List.of(800.0, 1L, "air")));
        assertEquals(18, pool.stream().map(Point::id).distinct().count(), "ids follow the content");
    }

    @Test
    void aCompositionGridTimesProcessSettingsWhenTheProductFits() {
        DesignSpace space = new DesignSpace(null, feNiCo(), 0.25, null, 2, List.of(ATMOSPHERE), List.of(), List.of(),
                Set.of());
        List<Point> pool = space.pool(100, new SplittableRandom(1));
        assertEquals(9 * 2, pool.size());
        assertEquals(2, pool.stream().filter(p -> p.formula().equals("Fe0.5Ni0.5")).count());
    }

    @Test
    void continuousParametersAreSampledInsideTheirRangeOnTheirScale() {
        Continuous pressure = new Continuous("pressure", "Pa", 1, 10_000, null, true);
        Continuous time = new Continuous("anneal_time", "s", 10, 20, null, false);
        DesignSpace space = parameters(List.of(pressure, time, TIME));
        List<Point> pool = space.pool(400, new SplittableRandom(3));
        assertEquals(400, pool.size(), "a continuous space gives as many candidates as asked");
        int belowHundred = 0;
        for (Point p : pool) {
            assertNull(space.violation(p));
            double v = (Double) p.parameters().get("pressure");
            assertTrue(v >= 1 && v <= 10_000);
            belowHundred += v < 100 ? 1 : 0;
            long hours = (Long) p.parameters().get("time");
            assertTrue(hours == 1 || hours == 3 || hours == 5, "integer on its step: " + hours);
        }
        // log scale: half the decades lie below 100, so about half the samples do
        assertTrue(belowHundred > 150 && belowHundred < 250, belowHundred + " of 400 below 100 Pa");
    }

    @Test
    void aSteppedContinuousParameterIsSampledOnItsGridWhenTheGridIsTooLarge() {
        Continuous fine = new Continuous("temperature", "K", 0, 1000, 0.5, false);
        DesignSpace space = parameters(List.of(fine));
        List<Point> pool = space.pool(50, new SplittableRandom(4));
        assertEquals(50, pool.size());
        for (Point p : pool) {
            double v = (Double) p.parameters().get("temperature");
            assertEquals(Math.rint(v * 2) / 2, v, 1e-9, "on the 0.5 K grid");
            assertNull(space.violation(p));
        }
    }

    @Test
    void continuousCompositionsAreSampledFeasiblyWithTheAllowedNumberOfElements() {
        DesignSpace space = composition(List.of(new ElementRange("Fe", 0.1, 0.9), new ElementRange("Ni", 0, 1),
                new ElementRange("Co", 0, 0.3), new ElementRange("Cr", 0, 0.4)), null, 2, 2);
        List<Point> pool = space.pool(200, new SplittableRandom(5));
        assertEquals(200, pool.size());
        Set<String> partners = new HashSet<>();
        for (Point p : pool) {
            assertNull(space.violation(p), p.formula());
            assertEquals(2, p.composition().size(), p.formula());
            assertTrue(p.composition().containsKey("Fe"), "an element with a lower bound is always present");
            partners.addAll(p.composition().keySet());
        }
        assertEquals(Set.of("Fe", "Ni", "Co", "Cr"), partners, "every optional element gets its turn");
    }

    @Test
    void theSameSeedGivesTheSameSampleAndAnotherSeedAnother() {
        DesignSpace space = new DesignSpace(null, feNiCo(), null, null, null,
                List.of(new Continuous("temperature", "K", 600, 800, null, false), ATMOSPHERE), List.of(), List.of(),
                Set.of());
        List<Point> one = space.pool(60, new SplittableRandom(42));
        List<Point> two = space.pool(60, new SplittableRandom(42));
        assertEquals(one, two);
        assertEquals(one.stream().map(Point::id).toList(), two.stream().map(Point::id).toList());
        assertNotEquals(one, space.pool(60, new SplittableRandom(43)));
    }

    @Test
    void explicitCandidatesAreKeptInOrderUnlessAConstraintExcludesThem() {
        Point a = new Point("a", Map.of("Fe", 0.5, "Ni", 0.5), Map.of(), null, "");
        Point b = new Point("b", Map.of("Fe", 0.5, "Cu", 0.5), Map.of(), 3.0, "m-b");
        Point c = new Point("c", Map.of("Ni", 0.8, "Cu", 0.2), Map.of(), null, "");
        Point d = new Point("d", Map.of("Fe", 0.9, "Ni", 0.1), Map.of(), null, "");
        DesignSpace plain = new DesignSpace(List.of(a, b, c, d), List.of(), null, null, null, List.of(), List.of(),
                List.of(), Set.of());
        assertTrue(plain.isExplicit());
        assertEquals(List.of(a, b, c, d), plain.pool(1, new SplittableRandom(1)), "the limit is for sampling");
        DesignSpace constrained = new DesignSpace(List.of(a, b, c, d), List.of(), null, null, null, List.of(),
                List.of(new Linear("fe cap", Map.of("Fe", 1.0), Relation.LESS_EQUAL, 0.6)), List.of(), Set.of("Cu"));
        assertEquals(List.of(a), constrained.pool(10, new SplittableRandom(1)));
        assertEquals("element Cu is excluded", constrained.violation(b));
        assertEquals("constraint 'fe cap' does not hold (0.9 vs 0.6)", constrained.violation(d));
    }

    @Test
    void encodingPutsFractionsAndNumbersInTheUnitCubeAndCategoriesOneHot() {
        DesignSpace space = new DesignSpace(null, List.of(new ElementRange("Ni", 0, 1),
                new ElementRange("Fe", 0.2, 0.8), new ElementRange("Mo", 0.1, 0.1)), null, null, null,
                List.of(new Continuous("pressure", "Pa", 1, 100, null, true),
                        new Continuous("temperature", "K", 600, 800, null, false), new IntegerRange("time", "h", 0, 10, 1),
                        new Categorical("atmosphere", List.of("argon", "air", "vacuum")),
                        new Continuous("fixed", "", 3, 3, null, false)), List.of(), List.of(), Set.of());
        assertEquals(3 + 1 + 1 + 1 + 3 + 1, space.dimensions());
        Point p = point(Map.of("Fe", 0.5, "Ni", 0.4, "Mo", 0.1), Map.of("pressure", 10.0, "temperature", 650.0,
                "time", 5L, "atmosphere", "air", "fixed", 3.0));
        // elements in alphabetical order (Fe, Mo, Ni), then the parameters as declared
        assertArrayEquals(new double[] {0.5, 0.5, 0.4, 0.5, 0.25, 0.5, 0, 1, 0, 0.5}, space.encode(p), 1e-12);
        Point absent = point(Map.of("Fe", 0.2, "Ni", 0.7, "Mo", 0.1), Map.of("pressure", 100.0, "temperature", 600.0,
                "time", 10L, "atmosphere", "vacuum", "fixed", 3.0));
        assertArrayEquals(new double[] {0, 0.5, 0.7, 1, 0, 1, 0, 0, 1, 0.5}, space.encode(absent), 1e-12);
    }

    @Test
    void explicitCandidatesAreEncodedOverTheRangeTheyCover() {
        Point a = new Point("a", Map.of("Fe", 0.25, "Ni", 0.75), Map.of(), null, "");
        Point b = new Point("b", Map.of("Fe", 0.75, "Ni", 0.25), Map.of(), null, "");
        Point c = new Point("c", Map.of("Fe", 0.5, "Ni", 0.4, "Cu", 0.1), Map.of(), null, "");
        DesignSpace space = new DesignSpace(List.of(a, b, c), List.of(), null, null, null, List.of(), List.of(),
                List.of(), Set.of());
        assertTrue(space.hasComposition());
        assertTrue(space.containsElements(List.of("Cu", "Fe")));
        assertFalse(space.containsElements(List.of("Co")));
        assertEquals(3, space.dimensions());
        // Cu 0..0.1, Fe 0.25..0.75, Ni 0.25..0.75
        assertArrayEquals(new double[] {1, 0.5, 0.3}, space.encode(c), 1e-12);
        assertArrayEquals(new double[] {0, 0, 1}, space.encode(a), 1e-12);
    }

    @Test
    void violationsOfTheCompositionSpaceNameTheFirstProblem() {
        DesignSpace space = new DesignSpace(null, List.of(new ElementRange("Fe", 0.2, 0.8),
                new ElementRange("Ni", 0, 1), new ElementRange("Co", 0, 1)), 0.25, null, 2, List.of(), List.of(),
                List.of(), Set.of("Cu"));
        assertNull(space.violation(fractions("Fe", 0.5, "Ni", 0.5)));
        assertEquals("element Cu is excluded", space.violation(fractions("Fe", 0.5, "Cu", 0.5)));
        assertEquals("fraction of Fe outside [0.2, 0.8]", space.violation(fractions("Fe", 1.0)));
        assertEquals("fraction of Fe is not a multiple of 0.25", space.violation(fractions("Fe", 0.3, "Ni", 0.7)));
        assertEquals("element Mn is not in the composition space",
                space.violation(fractions("Fe", 0.5, "Ni", 0.25, "Mn", 0.25)));
        assertEquals("fractions sum to 0.75, not 1", space.violation(fractions("Fe", 0.5, "Ni", 0.25)));
        assertEquals("3 elements present, allowed 0..2",
                space.violation(fractions("Fe", 0.5, "Ni", 0.25, "Co", 0.25)));
        // inside the tolerance is inside
        assertNull(space.violation(fractions("Fe", 0.5 + 1e-12, "Ni", 0.5)));
        DesignSpace unstepped = composition(List.of(new ElementRange("Fe", 0.2, 0.8), new ElementRange("Ni", 0, 1)),
                null, null, null);
        assertNull(unstepped.violation(fractions("Fe", 0.8 + 1e-10, "Ni", 0.2 - 1e-10)));
        assertEquals("fraction of Fe outside [0.2, 0.8]",
                unstepped.violation(fractions("Fe", 0.8 + 1e-8, "Ni", 0.2 - 1e-8)));
    }

    @Test
    void parameterValuesMustHaveTheRightTypeAndLieInTheDomain() {
        assertNull(DesignSpace.parameterViolation(TEMPERATURE, 700.0));
        assertEquals("parameter temperature needs a number", DesignSpace.parameterViolation(TEMPERATURE, 700L));
        assertEquals("parameter temperature needs a number", DesignSpace.parameterViolation(TEMPERATURE, null));
        assertEquals("parameter temperature needs a number",
                DesignSpace.parameterViolation(TEMPERATURE, Double.NaN));
        assertEquals("parameter temperature = 900.0 outside [600.0, 800.0]",
                DesignSpace.parameterViolation(TEMPERATURE, 900.0));
        assertEquals("parameter temperature = 650.0 is not on its grid (step 100.0)",
                DesignSpace.parameterViolation(TEMPERATURE, 650.0));
        assertNull(DesignSpace.parameterViolation(TIME, 3L));
        assertEquals("parameter time needs an integer", DesignSpace.parameterViolation(TIME, 3.0));
        assertEquals("parameter time = 2 outside 1..5 step 2", DesignSpace.parameterViolation(TIME, 2L));
        assertEquals("parameter time = 7 outside 1..5 step 2", DesignSpace.parameterViolation(TIME, 7L));
        assertNull(DesignSpace.parameterViolation(ATMOSPHERE, "air"));
        assertEquals("parameter atmosphere must be one of [argon, air]",
                DesignSpace.parameterViolation(ATMOSPHERE, "nitrogen"));
        assertEquals("parameter atmosphere must be one of [argon, air]",
                DesignSpace.parameterViolation(ATMOSPHERE, 1L));
        // a generated point must carry every parameter
        DesignSpace space = parameters(List.of(TEMPERATURE, TIME));
        assertEquals("parameter time needs an integer", space.violation(point(Map.of(), Map.of("temperature", 700.0))));
    }

    @Test
    void linearAndCountConstraintsReadFractionsAndParameters() {
        DesignSpace space = new DesignSpace(null, feNiCo(), null, null, null, List.of(TEMPERATURE),
                List.of(new Linear("ni cap", Map.of("Ni", 1.0), Relation.LESS_EQUAL, 0.5),
                        new Linear("hot enough", Map.of("temperature", 0.01, "Fe", 10.0), Relation.GREATER_EQUAL, 12),
                        new Linear("co fixed", Map.of("Co", 1.0), Relation.EQUAL, 0.0)),
                List.of(new CountLimit("pick", List.of("Fe", "Ni", "temperature"), 1, 2)), Set.of());
        assertEquals("constraint 'ni cap' does not hold (0.75 vs 0.5)",
                space.violation(point(Map.of("Fe", 0.25, "Ni", 0.75), Map.of("temperature", 700.0))));
        // 0.01 * 600 + 10 * 0.5 = 11 < 12
        assertEquals("constraint 'hot enough' does not hold (11.0 vs 12.0)",
                space.violation(point(Map.of("Fe", 0.5, "Ni", 0.5), Map.of("temperature", 600.0))));
        assertEquals("constraint 'co fixed' does not hold (0.25 vs 0.0)",
                space.violation(point(Map.of("Fe", 0.5, "Ni", 0.25, "Co", 0.25), Map.of("temperature", 800.0))));
        // Fe, Ni and the temperature all non-zero: three of the allowed two
        assertEquals("constraint 'pick': 3 of its variables are non-zero, allowed 1..2",
                space.violation(point(Map.of("Fe", 0.5, "Ni", 0.5), Map.of("temperature", 800.0))));
        assertNull(space.violation(point(Map.of("Fe", 1.0), Map.of("temperature", 800.0))));
    }

    @Test
    void aSpaceWhoseConstraintsExcludeEverythingHasAnEmptyPool() {
        DesignSpace space = new DesignSpace(null, feNiCo(), 0.25, null, null, List.of(),
                List.of(new Linear("impossible", Map.of("Fe", 1.0, "Ni", 1.0, "Co", 1.0), Relation.GREATER_EQUAL, 2)),
                List.of(), Set.of());
        assertTrue(space.pool(100, new SplittableRandom(1)).isEmpty());
        DesignSpace sampled = new DesignSpace(null, feNiCo(), null, null, null, List.of(), List.of(), List.of(),
                Set.of("Fe", "Ni", "Co"));
        assertTrue(sampled.pool(20, new SplittableRandom(1)).isEmpty(), "every element excluded");
    }

    @Test
    void generatedPointsHaveStableIdsAndReadableFormulas() {
        Point one = point(Map.of("Fe", 0.5, "Ni", 0.5), Map.of("anneal_temperature", 700.0, "time", 3L));
        Point same = point(new TreeMap<>(Map.of("Ni", 0.5, "Fe", 0.5)), Map.of("time", 3L, "anneal_temperature", 700.0));
        assertEquals(one.id(), same.id());
        assertTrue(one.id().startsWith("p-") && one.id().length() == 15, one.id());
        assertEquals("Fe0.5Ni0.5|anneal_temperature=700.000000|time=3",
                DesignSpace.describe(one.composition(), one.parameters()));
        assertEquals("Fe0.5Ni0.5", one.formula());
        assertNotEquals(one.id(), point(Map.of("Fe", 0.5, "Ni", 0.5), Map.of("anneal_temperature", 701.0,
                "time", 3L)).id());
        // six significant digits, zero fractions left out
        assertEquals("Fe0.333333Ni0.666667", fractions("Fe", 1 / 3.0, "Ni", 2 / 3.0, "Co", 0.0).formula());
        assertEquals("", point(Map.of(), Map.of()).formula());
    }
}
