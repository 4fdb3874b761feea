package org.mihub.common.chemistry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A chemical composition: element symbol to amount per formula unit, as parsed (hydrates and
 * adducts summed). Immutable; amounts are positive.
 */
public final class Composition {

    /** Amounts closer than this to an integer count as that integer (as pymatgen does). */
    private static final double INTEGER_TOLERANCE = 1e-8;
    /** The largest factor tried to make fractional amounts whole. */
    private static final int MAX_SCALE = 1000;

    private final Map<String, Double> amounts;

    Composition(Map<String, Double> amounts) {
        this.amounts = Collections.unmodifiableMap(new LinkedHashMap<>(amounts));
    }

    /**
     * A composition from element amounts as stored (e.g. a catalog's composition column).
     *
     * @throws IllegalArgumentException for an unknown element or an amount that is not positive
     */
    public static Composition of(Map<String, Double> amounts) {
        amounts.forEach((element, amount) -> {
            if (Elements.find(element).isEmpty() || !(amount > 0) || amount.isInfinite()) {
                throw new IllegalArgumentException("not a composition: " + element + " " + amount);
            }
        });
        return new Composition(amounts);
    }

    /** Element symbol to amount, in the order the elements first appear in the formula. */
    public Map<String, Double> amounts() {
        return amounts;
    }

    /** The distinct element symbols, sorted alphabetically. */
    public List<String> elements() {
        return amounts.keySet().stream().sorted().toList();
    }

    public int elementCount() {
        return amounts.size();
    }

    /** Atomic fractions summing to 1, in the order of {@link #amounts()}. */
    public Map<String, Double> atomicFractions() {
        double total = amounts.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> fractions = new LinkedHashMap<>();
        amounts.forEach((element, amount) -> fractions.put(element, amount / total));
        return Collections.unmodifiableMap(fractions);
    }

    /**
     * The reduced formula as pymatgen writes it: elements ordered by Pauling electronegativity
     * (elements without one last, by atomic number), amounts divided by their greatest common
     * divisor when all are integers, an amount of 1 omitted. E.g. Fe4O6 gives Fe2O3.
     */
    public String reducedFormula() {
        boolean integral = amounts.values().stream().allMatch(Composition::isInteger);
        long divisor = 0;
        if (integral) {
            for (double amount : amounts.values()) {
                divisor = gcd(divisor, Math.round(amount));
            }
        }
        double factor = integral && divisor > 0 ? divisor : 1;
        StringBuilder formula = new StringBuilder();
        amounts.keySet().stream()
                .sorted(Comparator.comparing((String symbol) -> Elements.bySymbol(symbol).orderingKey())
                        .thenComparing(symbol -> Elements.bySymbol(symbol).atomicNumber()))
                .forEach(symbol -> formula.append(symbol).append(format(amounts.get(symbol) / factor)));
        return formula.toString();
    }

    /**
     * The smallest whole numbers of atoms in the proportions of this composition, alphabetically by
     * element (the counts behind OPTIMADE's {@code chemical_formula_reduced}): amounts are scaled by
     * the smallest factor up to {@value #MAX_SCALE} that makes them all whole (within 1e-6), then
     * divided by their greatest common divisor. Empty when no such factor exists (e.g. Fe0.3141).
     */
    public Optional<Map<String, Long>> wholeProportions() {
        String[] elements = amounts.keySet().toArray(String[]::new);
        long[] counts = new long[elements.length];
        for (int scale = 1; scale <= MAX_SCALE; scale++) {
            long divisor = 0;
            boolean whole = true;
            for (int i = 0; i < elements.length && whole; i++) {
                double scaled = amounts.get(elements[i]) * scale;
                long rounded = Math.round(scaled);
                whole = rounded != 0 && Math.abs(scaled - rounded) <= 1e-6 * Math.max(1, scaled);
                counts[i] = rounded;
                divisor = gcd(divisor, rounded);
            }
            if (whole) {
                Map<String, Long> proportions = new TreeMap<>();
                for (int i = 0; i < elements.length; i++) {
                    proportions.put(elements[i], counts[i] / divisor);
                }
                return Optional.of(Collections.unmodifiableMap(proportions));
            }
        }
        return Optional.empty();
    }

    /** OPTIMADE's {@code chemical_formula_reduced}: e.g. Fe4O6 gives Fe2O3, Fe0.5Co0.5O gives CoFeO2. */
    public Optional<String> alphabeticalFormula() {
        return wholeProportions().map(Composition::alphabetical);
    }

    /**
     * OPTIMADE's {@code chemical_formula_anonymous}: the whole proportions in decreasing order,
     * labelled A, B, ... Z, Aa, Ba, ... Za, Ab, ...; e.g. Fe2O3 gives A3B2.
     */
    public Optional<String> anonymousFormula() {
        return wholeProportions().map(Composition::anonymous);
    }

    /** {@link #alphabeticalFormula()} of proportions already computed by {@link #wholeProportions()}. */
    public static String alphabetical(Map<String, Long> proportions) {
        StringBuilder formula = new StringBuilder();
        proportions.forEach((element, count) -> formula.append(element).append(count == 1 ? "" : count.toString()));
        return formula.toString();
    }

    /** {@link #anonymousFormula()} of proportions already computed by {@link #wholeProportions()}. */
    public static String anonymous(Map<String, Long> proportions) {
        List<Long> ordered = proportions.values().stream().sorted(Comparator.reverseOrder()).toList();
        StringBuilder formula = new StringBuilder();
        for (int i = 0; i < ordered.size(); i++) {
            formula.append((char) ('A' + i % 26));
            if (i >= 26) {
                formula.append((char) ('a' + i / 26 - 1));
            }
            formula.append(ordered.get(i) == 1 ? "" : ordered.get(i).toString());
        }
        return formula.toString();
    }

    /**
     * OPTIMADE's reduced and anonymous formulas (null when the amounts have no whole proportions)
     * and the element ratios in alphabetical order, from one computation of the whole proportions.
     */
    public record OptimadeForms(String reduced, String anonymous, double[] ratios) {
    }

    public OptimadeForms optimadeForms() {
        Optional<Map<String, Long>> whole = wholeProportions();
        return new OptimadeForms(whole.map(Composition::alphabetical).orElse(null),
                whole.map(Composition::anonymous).orElse(null), alphabeticalFractions());
    }

    /** Atomic fractions in the alphabetical order of {@link #elements()}. */
    public double[] alphabeticalFractions() {
        Map<String, Double> fractions = atomicFractions();
        return elements().stream().mapToDouble(fractions::get).toArray();
    }

    private static boolean isInteger(double amount) {
        return Math.abs(amount - Math.rint(amount)) < INTEGER_TOLERANCE;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** 1 is omitted, integers are written without decimals, others with up to 8 significant decimals. */
    static String format(double amount) {
        if (isInteger(amount)) {
            long whole = Math.round(amount);
            return whole == 1 ? "" : Long.toString(whole);
        }
        return new BigDecimal(amount).setScale(8, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Composition composition && composition.amounts.equals(amounts);
    }

    @Override
    public int hashCode() {
        return amounts.hashCode();
    }

    @Override
    public String toString() {
        return amounts.toString();
    }
}
