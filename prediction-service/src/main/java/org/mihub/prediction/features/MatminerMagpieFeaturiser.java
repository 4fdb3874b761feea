package org.mihub.prediction.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.Element;
import org.mihub.common.chemistry.Elements;

/**
 * {@code magpie} version {@code matminer-v1}: the 132 features of matminer's
 * {@code ElementProperty.from_preset("magpie")} (its default {@code impute_nan=True}), the standard Magpie
 * representation of Ward et al. (npj Comput Mater 2, 16028 (2016)) that published Magpie results use.
 * For each of the 22 properties of {@link MatminerMagpieTable}, in matminer's order, six statistics in
 * matminer's order, named {@code MagpieData <statistic> <property>}, over the elements of the composition
 * weighted by their amounts w (matminer's {@code PropertyStats}):
 * <ul>
 * <li>{@code minimum}, {@code maximum}, {@code range}: of the element values, unweighted;</li>
 * <li>{@code mean}: Σ w x / Σ w; {@code avg_dev}: Σ w |x − mean| / Σ w;</li>
 * <li>{@code mode}: the value of the element with the largest amount; amounts within numpy's
 * {@code isclose} of the largest (|w − max| ≤ 1e-8 + 1e-5 max) tie, and the smallest of their values wins.</li>
 * </ul>
 * A missing table value takes the property's mean over the elements (see {@link MatminerMagpieTable}), so
 * every element H to Og has features. A version never changes once published.
 */
public final class MatminerMagpieFeaturiser implements Featuriser {

    public static final String VERSION = "matminer-v1";

    /** matminer's statistics of the preset, in its order. */
    public static final List<String> STATISTICS = List.of("minimum", "maximum", "range", "mean", "avg_dev", "mode");

    /** numpy.isclose's default tolerances, with which matminer's mode finds the largest amounts. */
    private static final double RTOL = 1e-5;
    private static final double ATOL = 1e-8;

    private final MatminerMagpieTable table;
    private final List<String> names;

    public MatminerMagpieFeaturiser() {
        this.table = MatminerMagpieTable.standard();
        List<String> features = new ArrayList<>();
        for (String property : MatminerMagpieTable.PROPERTIES) {
            for (String statistic : STATISTICS) {
                features.add("MagpieData " + statistic + " " + property);
            }
        }
        this.names = List.copyOf(features);
    }

    @Override
    public String name() {
        return "magpie";
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public String description() {
        return "matminer's standard Magpie features (ElementProperty.from_preset(\"magpie\")): minimum, maximum, "
                + "range, amount-weighted mean, mean absolute deviation from it and mode of "
                + MatminerMagpieTable.PROPERTIES.size() + " element properties from matminer's Magpie tables, "
                + "named as matminer names them (\"MagpieData mean CovalentRadius\")";
    }

    @Override
    public String missingDataRule() {
        return "as matminer's default (impute_nan=True): a value the tables lack (Missing, or past the end of a "
                + "table) takes the mean of that property over the elements H to Og that have it ("
                + table.imputedCells() + " of " + MatminerMagpieTable.ELEMENTS * MatminerMagpieTable.PROPERTIES.size()
                + " cells); every element H to Og is featurised";
    }

    @Override
    public String elementDataSource() {
        return "matminer's Magpie element tables (magpie_elementdata, matminer commit 8ddb18c; modified BSD "
                + "licence, LBNL), from Ward et al., npj Comput. Mater. 2, 16028 (2016)";
    }

    @Override
    public void featurise(Composition composition, double[] out, int offset) {
        Map<String, Double> amounts = composition.amounts();
        int n = amounts.size();
        if (n == 0) {
            throw new FeaturiseException("", "an empty composition has no features");
        }
        int[] numbers = new int[n];
        double[] weights = new double[n];
        double total = 0;
        double largest = Double.NEGATIVE_INFINITY;
        int k = 0;
        for (var entry : amounts.entrySet()) {
            int z = Elements.find(entry.getKey()).map(Element::atomicNumber).orElse(0);
            if (z < 1 || z > MatminerMagpieTable.ELEMENTS) {
                throw new FeaturiseException(entry.getKey(), "no element data for " + entry.getKey()
                        + " (the featuriser covers H to Og)");
            }
            numbers[k] = z;
            weights[k] = entry.getValue();
            total += weights[k];
            largest = Math.max(largest, weights[k]);
            k++;
        }
        boolean[] mostAbundant = new boolean[n];
        for (int i = 0; i < n; i++) {
            mostAbundant[i] = Math.abs(weights[i] - largest) <= ATOL + RTOL * Math.abs(largest);
        }
        int at = offset;
        for (int property = 0; property < MatminerMagpieTable.PROPERTIES.size(); property++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double mode = Double.POSITIVE_INFINITY;
            double weighted = 0;
            for (int i = 0; i < n; i++) {
                double value = table.value(numbers[i], property);
                min = Math.min(min, value);
                max = Math.max(max, value);
                weighted += weights[i] * value;
                if (mostAbundant[i]) {
                    mode = Math.min(mode, value);
                }
            }
            double mean = weighted / total;
            double deviation = 0;
            for (int i = 0; i < n; i++) {
                deviation += weights[i] * Math.abs(table.value(numbers[i], property) - mean);
            }
            out[at++] = min;
            out[at++] = max;
            out[at++] = max - min;
            out[at++] = mean;
            out[at++] = deviation / total;
            out[at++] = mode;
        }
    }
}
