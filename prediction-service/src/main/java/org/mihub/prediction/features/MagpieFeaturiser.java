package org.mihub.prediction.features;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.mihub.common.chemistry.Composition;

/**
 * {@code magpie}: composition features in the manner of Magpie (Ward et al., npj Comput Mater 2,
 * 16028 (2016)). Version 1 has 142 features; version 2 adds the atomic fraction of each element H to
 * Lr ({@code frac_<symbol>}, 103 more, 245 in all), which lets a forest tell alloying elements apart
 * (Matbench steels: MAE 108 to 98 MPa). Version 3 adds Magpie's three ionic-compound attributes
 * ({@link IonicAttributes}: whether the composition can be charge-balanced, and its largest and mean
 * ionic character; 248 in all), which tell a forest an ionic solid from a metal (Matbench expt_gap,
 * scikit-learn forest: MAE 0.429 to 0.372 eV). A version never changes once published.
 * <ul>
 * <li>For each of the 22 element properties of {@link ElementTable}, six statistics over the
 * elements weighted by atomic fraction: {@code mean}, {@code avg_dev} (mean absolute deviation from
 * that mean), {@code min}, {@code max}, {@code range} and {@code mode} (the value of the most abundant
 * element; on a tie, the smaller value). Named {@code <statistic>_<property>}, e.g.
 * {@code mean_Electronegativity}.</li>
 * <li>Stoichiometric p-norms of the fractions for p = 0 (the number of elements), 2, 3, 5, 7, 10:
 * {@code pnorm_<p>}.</li>
 * <li>Valence-orbital fractions: the fraction-weighted mean of the s, p, d and f valence electrons
 * over the mean of all valence electrons: {@code frac_sValence} ... {@code frac_fValence}.</li>
 * </ul>
 * Missing element data follow {@link ElementTable}'s rule (the property's mean over the elements).
 */
public final class MagpieFeaturiser implements Featuriser {

    /** The published versions, oldest first. */
    public static final List<String> VERSIONS = List.of("1", "2", "3");

    private static final String[] STATISTICS = {"mean", "avg_dev", "min", "max", "range", "mode"};
    private static final int[] NORMS = {0, 2, 3, 5, 7, 10};
    private static final String[] ORBITALS = {"s", "p", "d", "f"};

    private final ElementTable table;
    private final String version;
    private final List<String> symbols;
    private final List<String> names;
    private final int[] orbitalColumns;
    private final int valenceColumn;
    private final int electronegativityColumn;
    private final boolean ionic;

    /** The newest version. */
    public MagpieFeaturiser() {
        this(VERSIONS.get(VERSIONS.size() - 1));
    }

    /** One of {@link #VERSIONS}. */
    public MagpieFeaturiser(String version) {
        this(ElementTable.standard(), version);
    }

    MagpieFeaturiser(ElementTable table, String version) {
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("magpie has versions " + String.join(", ", VERSIONS) + ", not "
                    + version);
        }
        this.table = table;
        this.version = version;
        this.symbols = version.equals("1") ? List.of() : table.symbols();
        this.ionic = version.equals("3");
        List<String> features = new ArrayList<>();
        for (String property : table.properties()) {
            for (String statistic : STATISTICS) {
                features.add(statistic + "_" + property);
            }
        }
        for (int p : NORMS) {
            features.add("pnorm_" + p);
        }
        for (String orbital : ORBITALS) {
            features.add("frac_" + orbital + "Valence");
        }
        for (String symbol : symbols) {
            features.add("frac_" + symbol);
        }
        if (ionic) {
            features.addAll(List.of(IonicAttributes.NAMES));
        }
        this.names = List.copyOf(features);
        this.orbitalColumns = new int[ORBITALS.length];
        for (int i = 0; i < ORBITALS.length; i++) {
            orbitalColumns[i] = table.properties().indexOf("N" + ORBITALS[i] + "Valence");
        }
        this.valenceColumn = table.properties().indexOf("NValence");
        this.electronegativityColumn = table.properties().indexOf("Electronegativity");
    }

    @Override
    public String name() {
        return "magpie";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<String> featureNames() {
        return names;
    }

    @Override
    public String description() {
        return "Magpie-style statistics (fraction-weighted mean, mean absolute deviation, min, max, range, mode) of "
                + table.properties().size() + " element properties, stoichiometric p-norms (p = 0, 2, 3, 5, 7, 10) "
                + "and valence-orbital fractions" + (symbols.isEmpty() ? "" : ", the atomic fraction of each element H "
                + "to Lr") + (ionic ? ", and Magpie's ionic-compound attributes (charge balance with pymatgen's common "
                + "oxidation states, largest and mean ionic character)" : "");
    }

    @Override
    public String missingDataRule() {
        return "an element property pymatgen lacks takes the mean of that property over the elements H to Lr that "
                + "have it (" + table.imputedCells() + " cells); elements beyond Lr are refused";
    }

    @Override
    public void featurise(Composition composition, double[] out, int offset) {
        Map<String, Double> amounts = composition.amounts();
        int n = amounts.size();
        int[] rows = new int[n];
        String[] elements = new String[n];
        double[] amountOf = new double[n];
        double[] fractions = new double[n];
        double total = 0;
        int k = 0;
        for (var entry : amounts.entrySet()) {
            var row = table.row(entry.getKey());
            if (row.isEmpty()) {
                throw new FeaturiseException(entry.getKey(), "no element data for " + entry.getKey()
                        + " (the featuriser covers H to Lr)");
            }
            rows[k] = row.getAsInt();
            elements[k] = entry.getKey();
            amountOf[k] = entry.getValue();
            fractions[k] = entry.getValue();
            total += entry.getValue();
            k++;
        }
        int mostAbundant = 0;
        for (int i = 0; i < n; i++) {
            fractions[i] /= total;
            if (fractions[i] > fractions[mostAbundant]) {
                mostAbundant = i;
            }
        }
        int at = offset;
        int properties = table.properties().size();
        for (int property = 0; property < properties; property++) {
            double mean = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double mode = table.value(rows[mostAbundant], property);
            for (int i = 0; i < n; i++) {
                double value = table.value(rows[i], property);
                mean += fractions[i] * value;
                min = Math.min(min, value);
                max = Math.max(max, value);
                if (fractions[i] == fractions[mostAbundant] && value < mode) {
                    mode = value;
                }
            }
            double deviation = 0;
            for (int i = 0; i < n; i++) {
                deviation += fractions[i] * Math.abs(table.value(rows[i], property) - mean);
            }
            out[at++] = mean;
            out[at++] = deviation;
            out[at++] = min;
            out[at++] = max;
            out[at++] = max - min;
            out[at++] = mode;
        }
        for (int p : NORMS) {
            if (p == 0) {
                out[at++] = n;
                continue;
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.pow(fractions[i], p);
            }
            out[at++] = Math.pow(sum, 1.0 / p);
        }
        double valence = weightedMean(rows, fractions, valenceColumn);
        for (int column : orbitalColumns) {
            out[at++] = valence == 0 ? 0 : weightedMean(rows, fractions, column) / valence;
        }
        if (!symbols.isEmpty()) {
            java.util.Arrays.fill(out, at, at + symbols.size(), 0);
            for (int i = 0; i < n; i++) {
                out[at + rows[i]] += fractions[i];
            }
            at += symbols.size();
        }
        if (ionic) {
            double[] electronegativity = new double[n];
            for (int i = 0; i < n; i++) {
                electronegativity[i] = table.value(rows[i], electronegativityColumn);
            }
            IonicAttributes.write(elements, amountOf, fractions, electronegativity, out, at);
        }
    }

    private double weightedMean(int[] rows, double[] fractions, int column) {
        double mean = 0;
        for (int i = 0; i < rows.length; i++) {
            mean += fractions[i] * table.value(rows[i], column);
        }
        return mean;
    }
}
