package org.mihub.common.chemistry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The element table, read once from the generated resource {@code elements.tsv}. */
public final class Elements {

    private static final List<Element> ALL;
    private static final Map<String, Element> BY_SYMBOL = new HashMap<>();

    static {
        List<Element> elements = new ArrayList<>();
        try (InputStream in = Elements.class.getResourceAsStream("elements.tsv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String header = reader.readLine();
            while (header != null && header.startsWith("#")) {
                header = reader.readLine();
            }
            List<String> columns = List.of(header.split("\t"));
            for (String line; (line = reader.readLine()) != null;) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cells = line.split("\t", -1);
                elements.add(new Element(Integer.parseInt(cells[columns.indexOf("Z")]), cells[columns.indexOf("symbol")],
                        cells[columns.indexOf("name")], number(cells[columns.indexOf("electronegativity")]),
                        number(cells[columns.indexOf("atomic_mass")])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("element table unreadable", e);
        }
        ALL = Collections.unmodifiableList(elements);
        ALL.forEach(element -> BY_SYMBOL.put(element.symbol(), element));
    }

    private Elements() {
    }

    private static double number(String cell) {
        return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
    }

    /** Every element, by atomic number. */
    public static List<Element> all() {
        return ALL;
    }

    public static Optional<Element> find(String symbol) {
        return Optional.ofNullable(BY_SYMBOL.get(symbol));
    }

    static Element bySymbol(String symbol) {
        Element element = BY_SYMBOL.get(symbol);
        if (element == null) {
            throw new IllegalArgumentException("unknown element " + symbol);
        }
        return element;
    }
}
