package org.mihub.prediction.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The element-property table of the featuriser ({@code elements.tsv}, generated from pymatgen by
 * {@code tools/generate_magpie_table.py}). Missing data rule: a property an element lacks takes the
 * mean of that property over the elements that have it, so every element up to Lr (Z = 103) has a
 * complete row; which cells were imputed is kept for the documentation.
 */
public final class ElementTable {

    private static final String RESOURCE = "/org/mihub/prediction/features/elements.tsv";
    private static final ElementTable INSTANCE = load();

    private final List<String> properties;
    private final List<String> symbols;
    private final Map<String, Integer> rows;
    private final double[][] values;
    private final int imputed;

    private ElementTable(List<String> properties, List<String> symbols, Map<String, Integer> rows, double[][] values,
            int imputed) {
        this.properties = properties;
        this.symbols = symbols;
        this.rows = rows;
        this.values = values;
        this.imputed = imputed;
    }

    public static ElementTable standard() {
        return INSTANCE;
    }

    public List<String> properties() {
        return properties;
    }

    /** The element symbols in table order (row i is symbols().get(i)). */
    public List<String> symbols() {
        return symbols;
    }

    /** The row of an element, or empty when the table has no data for it (beyond Lr). */
    public OptionalInt row(String symbol) {
        Integer row = rows.get(symbol);
        return row == null ? OptionalInt.empty() : OptionalInt.of(row);
    }

    public double value(int row, int property) {
        return values[row][property];
    }

    /** How many cells were imputed with the property mean. */
    public int imputedCells() {
        return imputed;
    }

    private static ElementTable load() {
        try (InputStream in = ElementTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> properties = null;
            List<String> symbols = new ArrayList<>();
            Map<String, Integer> rows = new HashMap<>();
            List<double[]> values = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                if (properties == null) {
                    properties = List.of(Arrays.copyOfRange(cells, 1, cells.length));
                    continue;
                }
                double[] row = new double[properties.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = cells[i + 1].isEmpty() ? Double.NaN : Double.parseDouble(cells[i + 1]);
                }
                rows.put(cells[0], values.size());
                symbols.add(cells[0]);
                values.add(row);
            }
            double[][] table = values.toArray(double[][]::new);
            return new ElementTable(properties, List.copyOf(symbols), Map.copyOf(rows), table, impute(table));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces each missing cell by the mean of its column; returns how many were replaced. */
    private static int impute(double[][] table) {
        int replaced = 0;
        for (int column = 0; column < table[0].length; column++) {
            double sum = 0;
            int count = 0;
            for (double[] row : table) {
                if (!Double.isNaN(row[column])) {
                    sum += row[column];
                    count++;
                }
            }
            for (double[] row : table) {
                if (Double.isNaN(row[column])) {
                    row[column] = sum / count;
                    replaced++;
                }
            }
        }
        return replaced;
    }
}
