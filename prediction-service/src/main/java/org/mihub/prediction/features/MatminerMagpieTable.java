package org.mihub.prediction.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * matminer's Magpie element tables for the 22 properties of its standard preset, as matminer's
 * {@code MagpieData(impute_nan=True)} holds them: line Z of {@code <property>.table} is the value of the
 * element of atomic number Z, for Z = 1 to 118; a line that Python's {@code float()} does not read
 * ({@code Missing}, an empty line) or a line past the end of the file is missing, and a missing value
 * takes the mean of that property over the elements 1 to 118 that have one. The tables are resources
 * ({@code magpie/}, with matminer's licence and README), copied unchanged from matminer.
 */
public final class MatminerMagpieTable {

    /** The properties of matminer's {@code ElementProperty.from_preset("magpie")}, in its order. */
    public static final List<String> PROPERTIES = List.of("Number", "MendeleevNumber", "AtomicWeight", "MeltingT",
            "Column", "Row", "CovalentRadius", "Electronegativity", "NsValence", "NpValence", "NdValence",
            "NfValence", "NValence", "NsUnfilled", "NpUnfilled", "NdUnfilled", "NfUnfilled", "NUnfilled",
            "GSvolume_pa", "GSbandgap", "GSmagmom", "SpaceGroupNumber");

    /** The elements matminer reads (pymatgen's Element.from_Z for Z = 1 to 118). */
    public static final int ELEMENTS = 118;

    private static final String FOLDER = "/org/mihub/prediction/features/magpie/";
    /** What Python's float() accepts, after stripping whitespace (digits may be grouped by underscores). */
    private static final Pattern PYTHON_FLOAT = Pattern.compile(
            "[+-]?(?:\\d(?:_?\\d)*(?:\\.(?:\\d(?:_?\\d)*)?)?|\\.\\d(?:_?\\d)*)(?:[eE][+-]?\\d(?:_?\\d)*)?");
    private static final Pattern PYTHON_SPECIAL = Pattern.compile("[+-]?(?:nan|inf|infinity)",
            Pattern.CASE_INSENSITIVE);
    private static final MatminerMagpieTable INSTANCE = load();

    /** values[(z - 1) * properties + property]. */
    private final double[] values;
    private final int imputed;

    private MatminerMagpieTable(double[] values, int imputed) {
        this.values = values;
        this.imputed = imputed;
    }

    public static MatminerMagpieTable standard() {
        return INSTANCE;
    }

    /** The value of property {@code property} (an index into {@link #PROPERTIES}) for atomic number z. */
    public double value(int z, int property) {
        return values[(z - 1) * PROPERTIES.size() + property];
    }

    /** How many of the 118 × 22 cells were missing and took their property's mean. */
    public int imputedCells() {
        return imputed;
    }

    /** A table line as Python's {@code float()} reads it, NaN where that raises ValueError. */
    static double pythonFloat(String line) {
        String text = line.strip();
        if (PYTHON_FLOAT.matcher(text).matches()) {
            return Double.parseDouble(text.replace("_", ""));
        }
        if (PYTHON_SPECIAL.matcher(text).matches()) {
            String word = text.toLowerCase(java.util.Locale.ROOT);
            if (word.endsWith("nan")) {
                return Double.NaN;
            }
            return word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.NaN;
    }

    private static MatminerMagpieTable load() {
        int properties = PROPERTIES.size();
        double[] values = new double[ELEMENTS * properties];
        int imputed = 0;
        for (int property = 0; property < properties; property++) {
            List<String> lines = lines(PROPERTIES.get(property));
            double sum = 0;
            int count = 0;
            for (int z = 1; z <= ELEMENTS; z++) {
                double value = z <= lines.size() ? pythonFloat(lines.get(z - 1)) : Double.NaN;
                values[(z - 1) * properties + property] = value;
                if (!Double.isNaN(value)) {
                    sum += value;
                    count++;
                }
            }
            if (count == 0) {
                throw new IllegalStateException(FOLDER + PROPERTIES.get(property) + ".table has no value");
            }
            double mean = sum / count;
            for (int z = 1; z <= ELEMENTS; z++) {
                int cell = (z - 1) * properties + property;
                if (Double.isNaN(values[cell])) {
                    values[cell] = mean;
                    imputed++;
                }
            }
        }
        return new MatminerMagpieTable(values, imputed);
    }

    /** The lines of a table, split as Python's universal newlines split them (\n, \r\n or \r). */
    private static List<String> lines(String property) {
        String resource = FOLDER + property + ".table";
        try (InputStream in = MatminerMagpieTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
