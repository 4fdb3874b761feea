package org.mihub.planning.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Where a campaign looks for candidates, and the exact rules every proposal obeys: an explicit
 * candidate list, a composition space (element bounds, fractions summing to one, optional grid step,
 * at most / at least k elements present) and/or process parameters, under linear, NChooseK and
 * excluded-element constraints.
 *
 * <p>{@link #pool} gives the candidates to score: the explicit list, or every grid point when the
 * space is a finite grid no larger than the limit, otherwise a seeded sample of feasible points.
 * {@link #encode} maps a point to the unit cube the surrogate works in.
 */
public final class DesignSpace {

    /** The allowed atomic fraction of one element. */
    public record ElementRange(String element, double min, double max) {
    }

    /** A process parameter: continuous (optionally stepped or on a log scale), integer or categorical. */
    public sealed interface Parameter permits Continuous, IntegerRange, Categorical {
        String name();
    }

    public record Continuous(String name, String unit, double min, double max, Double step, boolean logScale)
            implements Parameter {
    }

    public record IntegerRange(String name, String unit, long min, long max, long step) implements Parameter {
    }

    public record Categorical(String name, List<String> values) implements Parameter {
    }

    /** Relations of linear constraints. */
    public enum Relation {
        LESS_EQUAL, GREATER_EQUAL, EQUAL
    }

    /** Σ coefficient × variable (relation) rhs; variables are element symbols or parameter names. */
    public record Linear(String name, Map<String, Double> terms, Relation relation, double rhs) {
    }

    /** Between min and max of the variables are non-zero. */
    public record CountLimit(String name, List<String> variables, int min, int max) {
    }

    /** Tolerance of equalities and of the composition sum. */
    public static final double TOLERANCE = 1e-9;

    private final List<Point> explicit;
    private final List<ElementRange> elements;
    private final Double step;
    private final int minElements;
    private final int maxElements;
    private final List<Parameter> parameters;
    private final List<Linear> linear;
    private final List<CountLimit> counts;
    private final Set<String> excluded;
    private final List<String> encodedElements;
    private final double[][] explicitRange;

    public DesignSpace(List<Point> explicit, List<ElementRange> elements, Double step, Integer minElements,
            Integer maxElements, List<Parameter> parameters, List<Linear> linear, List<CountLimit> counts,
            Set<String> excluded) {
        this.explicit = explicit == null ? null : List.copyOf(explicit);
        this.elements = List.copyOf(elements);
        this.step = step;
        this.minElements = minElements == null ? 0 : minElements;
        this.maxElements = maxElements == null ? elements.size() : maxElements;
        this.parameters = List.copyOf(parameters);
        this.linear = List.copyOf(linear);
        this.counts = List.copyOf(counts);
        this.excluded = Set.copyOf(excluded);
        Set<String> symbols = new LinkedHashSet<>();
        if (explicit != null) {
            explicit.forEach(p -> symbols.addAll(p.composition().keySet()));
        } else {
            elements.forEach(e -> symbols.add(e.element()));
        }
        this.encodedElements = List.copyOf(new java.util.TreeSet<>(symbols));
        this.explicitRange = explicit == null ? null : ranges(explicit);
    }

    public boolean isExplicit() {
        return explicit != null;
    }

    public boolean hasComposition() {
        return explicit != null ? !encodedElements.isEmpty() : !elements.isEmpty();
    }

    /** True when every one of these elements is a dimension of the space (prior data must not add any). */
    public boolean containsElements(java.util.Collection<String> symbols) {
        return encodedElements.containsAll(symbols);
    }

    public List<Parameter> parameters() {
        return parameters;
    }

    /** Number of unit-cube dimensions a point is encoded into. */
    public int dimensions() {
        int d = encodedElements.size();
        for (Parameter p : parameters) {
            d += p instanceof Categorical c ? c.values().size() : 1;
        }
        return d;
    }

    /** The point in the unit cube: element fractions and numeric parameters scaled by their ranges, categories one-hot. */
    public double[] encode(Point point) {
        double[] x = new double[dimensions()];
        int k = 0;
        for (String element : encodedElements) {
            double value = point.composition().getOrDefault(element, 0.0);
            double low = 0;
            double high = 1;
            if (explicit == null) {
                ElementRange range = elements.stream().filter(e -> e.element().equals(element)).findFirst()
                        .orElseThrow();
                low = range.min();
                high = range.max();
            } else {
                low = explicitRange[k][0];
                high = explicitRange[k][1];
            }
            x[k++] = high > low ? (value - low) / (high - low) : 0.5;
        }
        for (Parameter parameter : parameters) {
            Object value = point.parameters().get(parameter.name());
            if (parameter instanceof Continuous c) {
                    double v = ((Number) value).doubleValue();
                    x[k++] = c.logScale() ? (Math.log(v) - Math.log(c.min())) / (Math.log(c.max()) - Math.log(c.min()))
                            : c.max() > c.min() ? (v - c.min()) / (c.max() - c.min()) : 0.5;
                } else if (parameter instanceof IntegerRange r) {
                    long v = ((Number) value).longValue();
                    x[k++] = r.max() > r.min() ? (double) (v - r.min()) / (r.max() - r.min()) : 0.5;
                } else if (parameter instanceof Categorical c) {
                    int index = c.values().indexOf((String) value);
                    for (int j = 0; j < c.values().size(); j++) {
                        x[k++] = j == index ? 1 : 0;
                    }
                }
        }
        return x;
    }

    private double[][] ranges(List<Point> points) {
        double[][] range = new double[encodedElements.size()][2];
        for (int k = 0; k < encodedElements.size(); k++) {
            double low = Double.POSITIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (Point p : points) {
                double v = p.composition().getOrDefault(encodedElements.get(k), 0.0);
                low = Math.min(low, v);
                high = Math.max(high, v);
            }
            range[k][0] = low;
            range[k][1] = high;
        }
        return range;
    }

    /** Why the point violates the space, or null when it is feasible (bounds, sum, step, counts, constraints). */
    public String violation(Point point) {
        Map<String, Double> composition = point.composition();
        for (String element : composition.keySet()) {
            if (excluded.contains(element) && composition.get(element) > 0) {
                return "element " + element + " is excluded";
            }
        }
        if (explicit == null && !elements.isEmpty()) {
            double sum = 0;
            int present = 0;
            for (ElementRange range : elements) {
                double value = composition.getOrDefault(range.element(), 0.0);
                if (value < range.min() - TOLERANCE || value > range.max() + TOLERANCE) {
                    return "fraction of " + range.element() + " outside [" + range.min() + ", " + range.max() + "]";
                }
                if (step != null && Math.abs(value / step - Math.rint(value / step)) > 1e-6) {
                    return "fraction of " + range.element() + " is not a multiple of " + step;
                }
                sum += value;
                present += value > 0 ? 1 : 0;
            }
            for (String element : composition.keySet()) {
                if (elements.stream().noneMatch(e -> e.element().equals(element)) && composition.get(element) > 0) {
                    return "element " + element + " is not in the composition space";
                }
            }
            if (Math.abs(sum - 1) > TOLERANCE) {
                return "fractions sum to " + sum + ", not 1";
            }
            if (present > maxElements || present < minElements) {
                return present + " elements present, allowed " + minElements + ".." + maxElements;
            }
        }
        if (explicit == null) {
            for (Parameter parameter : parameters) {
                Object value = point.parameters().get(parameter.name());
                String problem = parameterViolation(parameter, value);
                if (problem != null) {
                    return problem;
                }
            }
        }
        for (Linear constraint : linear) {
            double sum = 0;
            for (Map.Entry<String, Double> term : constraint.terms().entrySet()) {
                sum += term.getValue() * variable(point, term.getKey());
            }
            boolean ok = switch (constraint.relation()) {
                case LESS_EQUAL -> sum <= constraint.rhs() + TOLERANCE;
                case GREATER_EQUAL -> sum >= constraint.rhs() - TOLERANCE;
                case EQUAL -> Math.abs(sum - constraint.rhs()) <= TOLERANCE;
            };
            if (!ok) {
                return "constraint '" + constraint.name() + "' does not hold (" + sum + " vs " + constraint.rhs() + ")";
            }
        }
        for (CountLimit limit : counts) {
            int present = 0;
            for (String variable : limit.variables()) {
                present += variable(point, variable) != 0 ? 1 : 0;
            }
            if (present < limit.min() || present > limit.max()) {
                return "constraint '" + limit.name() + "': " + present + " of its variables are non-zero, allowed "
                        + limit.min() + ".." + limit.max();
            }
        }
        return null;
    }

    /** Why a parameter value is outside its domain, or null. */
    public static String parameterViolation(Parameter parameter, Object value) {
        if (parameter instanceof Continuous c) {
                if (!(value instanceof Double v) || !Double.isFinite(v)) {
                    return "parameter " + c.name() + " needs a number";
                }
                if (v < c.min() - TOLERANCE * Math.max(1, Math.abs(c.min()))
                        || v > c.max() + TOLERANCE * Math.max(1, Math.abs(c.max()))) {
                    return "parameter " + c.name() + " = " + v + " outside [" + c.min() + ", " + c.max() + "]";
                }
                if (c.step() != null) {
                    double steps = (v - c.min()) / c.step();
                    if (Math.abs(steps - Math.rint(steps)) > 1e-6) {
                        return "parameter " + c.name() + " = " + v + " is not on its grid (step " + c.step() + ")";
                    }
                }
            } else if (parameter instanceof IntegerRange r) {
                if (!(value instanceof Long v)) {
                    return "parameter " + r.name() + " needs an integer";
                }
                if (v < r.min() || v > r.max() || (v - r.min()) % r.step() != 0) {
                    return "parameter " + r.name() + " = " + v + " outside " + r.min() + ".." + r.max() + " step "
                            + r.step();
                }
            } else if (parameter instanceof Categorical c) {
                if (!(value instanceof String v) || !c.values().contains(v)) {
                    return "parameter " + c.name() + " must be one of " + c.values();
                }
            }
        return null;
    }

    private static double variable(Point point, String name) {
        Double fraction = point.composition().get(name);
        if (fraction != null) {
            return fraction;
        }
        Object value = point.parameters().get(name);
        return value instanceof Number number ? number.doubleValue() : 0;
    }

    /**
     * The candidates to score: the feasible explicit candidates, every feasible grid point when the
     * grid has at most {@code limit} points, otherwise up to {@code limit} seeded feasible samples.
     */
    public List<Point> pool(int limit, SplittableRandom random) {
        if (explicit != null) {
            return explicit.stream().filter(p -> violation(p) == null).toList();
        }
        List<Map<String, Double>> compositions = elements.isEmpty() ? List.of(Map.of())
                : step != null ? gridCompositions(limit + 1) : null;
        List<Map<String, Object>> settings = parameterGrid(limit + 1);
        if (compositions != null && settings != null
                && (long) compositions.size() * settings.size() <= limit) {
            List<Point> points = new ArrayList<>();
            for (Map<String, Double> composition : compositions) {
                for (Map<String, Object> setting : settings) {
                    Point point = Point.of(composition, setting);
                    if (violation(point) == null) {
                        points.add(point);
                    }
                }
            }
            return points;
        }
        // too many or continuous: sample
        Map<String, Point> sampled = new LinkedHashMap<>();
        int attempts = 0;
        while (sampled.size() < limit && attempts < limit * 50) {
            attempts++;
            Map<String, Double> composition = elements.isEmpty() ? Map.of()
                    : compositions != null ? compositions.get(random.nextInt(compositions.size()))
                            : sampleComposition(random);
            if (composition == null) {
                continue;
            }
            Map<String, Object> setting = settings != null ? settings.get(random.nextInt(settings.size()))
                    : sampleSetting(random);
            Point point = Point.of(composition, setting);
            if (violation(point) == null) {
                sampled.putIfAbsent(point.id(), point);
            }
        }
        return new ArrayList<>(sampled.values());
    }

    private List<Map<String, Double>> gridCompositions(int cap) {
        int units = (int) Math.round(1 / step);
        List<Map<String, Double>> out = new ArrayList<>();
        int[] counts = new int[elements.size()];
        if (!enumerate(0, units, counts, units, out, cap)) {
            return null;
        }
        return out;
    }

    private boolean enumerate(int index, int remaining, int[] counts, int units, List<Map<String, Double>> out,
            int cap) {
        if (index == elements.size() - 1) {
            counts[index] = remaining;
            ElementRange range = elements.get(index);
            double value = remaining / (double) units;
            if (value < range.min() - TOLERANCE || value > range.max() + TOLERANCE) {
                return true;
            }
            int present = 0;
            for (int c : counts) {
                present += c > 0 ? 1 : 0;
            }
            if (present > maxElements || present < minElements) {
                return true;
            }
            Map<String, Double> composition = new TreeMap<>();
            double sum = 0;
            for (int i = 0; i < counts.length - 1; i++) {
                if (counts[i] > 0) {
                    double v = counts[i] / (double) units;
                    composition.put(elements.get(i).element(), v);
                    sum += v;
                }
            }
            if (remaining > 0) {
                // the last fraction closes the sum exactly
                composition.put(range.element(), 1 - sum);
            }
            out.add(composition);
            return out.size() < cap;
        }
        ElementRange range = elements.get(index);
        int low = (int) Math.ceil(range.min() * units - 1e-6);
        int high = (int) Math.floor(range.max() * units + 1e-6);
        for (int c = low; c <= Math.min(high, remaining); c++) {
            counts[index] = c;
            if (!enumerate(index + 1, remaining - c, counts, units, out, cap)) {
                return false;
            }
        }
        counts[index] = 0;
        return true;
    }

    /** A random feasible composition on the simplex within bounds, or null after a failed attempt. */
    private Map<String, Double> sampleComposition(SplittableRandom random) {
        List<ElementRange> chosen = new ArrayList<>();
        List<ElementRange> optional = new ArrayList<>();
        for (ElementRange range : elements) {
            (range.min() > 0 ? chosen : optional).add(range);
        }
        Collections.shuffle(optional, new java.util.Random(random.nextLong()));
        int target = minElements + random.nextInt(Math.max(1, maxElements - minElements + 1));
        target = Math.max(target, chosen.size());
        for (ElementRange range : optional) {
            if (chosen.size() >= target) {
                break;
            }
            chosen.add(range);
        }
        if (chosen.isEmpty()) {
            return null;
        }
        // uniform on the simplex (normalised exponentials), then the bounds decide by rejection
        double[] w = new double[chosen.size()];
        double total = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = -Math.log(1 - random.nextDouble());
            total += w[i];
        }
        Map<String, Double> composition = new TreeMap<>();
        double sum = 0;
        for (int i = 0; i < w.length - 1; i++) {
            double v = w[i] / total;
            composition.put(chosen.get(i).element(), v);
            sum += v;
        }
        composition.put(chosen.get(w.length - 1).element(), 1 - sum);
        return composition;
    }

    private List<Map<String, Object>> parameterGrid(int cap) {
        List<Map<String, Object>> grid = new ArrayList<>();
        grid.add(new LinkedHashMap<>());
        for (Parameter parameter : parameters) {
            List<Object> values = new ArrayList<>();
            if (parameter instanceof Continuous c) {
                    if (c.step() == null) {
                        return null;
                    }
                    long n = (long) Math.floor((c.max() - c.min()) / c.step() + 1e-9) + 1;
                    if (n > cap) {
                        return null;
                    }
                    for (long i = 0; i < n; i++) {
                        values.add(c.min() + i * c.step());
                    }
                } else if (parameter instanceof IntegerRange r) {
                    long n = (r.max() - r.min()) / r.step() + 1;
                    if (n > cap) {
                        return null;
                    }
                    for (long v = r.min(); v <= r.max(); v += r.step()) {
                        values.add(v);
                    }
                } else if (parameter instanceof Categorical c) {
                    values.addAll(c.values());
                }
            if ((long) grid.size() * values.size() > cap) {
                return null;
            }
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : grid) {
                for (Object value : values) {
                    Map<String, Object> extended = new LinkedHashMap<>(partial);
                    extended.put(parameter.name(), value);
                    next.add(extended);
                }
            }
            grid = next;
        }
        return grid;
    }

    private Map<String, Object> sampleSetting(SplittableRandom random) {
        Map<String, Object> setting = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            if (parameter instanceof Continuous c) {
                    double u = random.nextDouble();
                    double v = c.logScale() ? Math.exp(Math.log(c.min()) + u * (Math.log(c.max()) - Math.log(c.min())))
                            : c.min() + u * (c.max() - c.min());
                    if (c.step() != null) {
                        v = c.min() + Math.rint((v - c.min()) / c.step()) * c.step();
                    }
                    setting.put(c.name(), Math.min(c.max(), Math.max(c.min(), v)));
                } else if (parameter instanceof IntegerRange r) {
                    long n = (r.max() - r.min()) / r.step() + 1;
                    setting.put(r.name(), r.min() + r.step() * (long) (random.nextDouble() * n));
                } else if (parameter instanceof Categorical c) {
                    setting.put(c.name(), c.values().get(random.nextInt(c.values().size())));
                }
        }
        return setting;
    }

    /** Stable text for ids and messages, e.g. "Fe0.5Ni0.5|anneal_temperature=700". */
    static String describe(Map<String, Double> composition, Map<String, Object> parameters) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(composition).forEach((element, fraction) -> {
            if (fraction > 0) {
                text.append(element).append(new java.math.BigDecimal(fraction)
                        .round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString());
            }
        });
        new TreeMap<>(parameters).forEach((name, value) -> text.append('|').append(name).append('=')
                .append(value instanceof Double v ? String.format(Locale.ROOT, "%.9g", v) : value));
        return text.toString();
    }
}
