package org.mihub.common.chemistry;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chemical composition: element symbol to amount per formula unit, as parsed (hydrates and
 * adducts summed). Immutable; amounts are positive.
 */
public final class Composition {

    /** Amounts closer than this to an integer count as that integer (as pymatgen does). */
    private static final double INTEGER_TOLERANCE = 1e-8;

    private final Map<String, Double> amounts;

    Composition(Map<String, Double> amounts) {
        this.amounts = Collections.unmodifiableMap(new LinkedHashMap<>(amounts));
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
