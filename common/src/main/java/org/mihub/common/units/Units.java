package org.mihub.common.units;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.measure.IncommensurableException;
import javax.measure.UnconvertibleException;
import javax.measure.Unit;
import javax.measure.UnitConverter;

import org.mihub.common.text.Suggestions;

import systems.uom.ucum.format.UCUMFormat;

/**
 * Unit symbols (UCUM, case-sensitive: "eV", "MPa", "Cel", "K", "g/cm3", "W/(m.K)") and
 * conversions between them, all by the JSR-385 reference implementation with the UCUM system; no
 * factor is written by hand here.
 */
public final class Units {

    private static final UCUMFormat FORMAT = UCUMFormat.getInstance(UCUMFormat.Variant.CASE_SENSITIVE);
    private static final Map<String, Unit<?>> PARSED = new ConcurrentHashMap<>();

    /** The symbols of the UCUM library's own table, with the metric prefixes, read when first needed. */
    private static volatile List<String> known;

    private Units() {
    }

    /**
     * Up to {@code max} unit symbols close to {@code given} (a typo, another case: "mev" → "meV",
     * "degK" → "K"), from the UCUM library's table of symbols, their metric prefixes and {@code extra}
     * (e.g. the vocabulary's own units such as "g/cm3"), closest first. Only symbols that parse.
     */
    public static List<String> suggest(String given, Collection<String> extra, int max) {
        List<String> candidates = new ArrayList<>(extra);
        candidates.addAll(known());
        return Suggestions.closest(given, candidates, max);
    }

    private static List<String> known() {
        List<String> symbols = known;
        if (symbols == null) {
            symbols = List.copyOf(table());
            known = symbols;
        }
        return symbols;
    }

    /** Every symbol of {@code UCUMFormat_CS.properties}, and each short one with a metric prefix, that parses. */
    private static Set<String> table() {
        Properties table = new Properties();
        try (InputStream in = UCUMFormat.class.getResourceAsStream("UCUMFormat_CS.properties")) {
            if (in == null) {
                return Set.of();
            }
            table.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> prefixes = new ArrayList<>();
        List<String> bases = new ArrayList<>();
        table.forEach((key, value) -> {
            String symbol = value.toString().trim();
            if (key.toString().startsWith("javax.measure.MetricPrefix.")) {
                prefixes.add(symbol);
            } else if (!symbol.isEmpty() && !key.toString().startsWith("javax.measure.BinaryPrefix.")) {
                bases.add(symbol);
            }
        });
        Set<String> symbols = new LinkedHashSet<>();
        bases.stream().sorted().forEach(base -> {
            symbols.add(base);
            if (base.length() <= 3 && base.chars().allMatch(Character::isLetter)) {
                prefixes.stream().sorted().forEach(prefix -> symbols.add(prefix + base));
            }
        });
        symbols.removeIf(symbol -> {
            try {
                parse(symbol);
                return false;
            } catch (RuntimeException e) {
                return true;
            }
        });
        return symbols;
    }

    /** Why a unit cannot be used. */
    public static final class UnitException extends IllegalArgumentException {
        public UnitException(String message) {
            super(message);
        }
    }

    public static Unit<?> parse(String symbol) {
        if (symbol == null || symbol.isBlank()) {
            throw new UnitException("no unit given");
        }
        return PARSED.computeIfAbsent(symbol.trim(), Units::parseUncached);
    }

    private static Unit<?> parseUncached(String symbol) {
        try {
            return FORMAT.parse(symbol);
        } catch (RuntimeException e) {
            throw new UnitException("unknown unit '" + symbol + "' (UCUM symbols, e.g. eV, MPa, Cel, g/cm3)");
        }
    }

    /** The converter from {@code from} to {@code to}; a clear error when their dimensions differ. */
    public static UnitConverter converter(String from, String to) {
        Unit<?> source = parse(from);
        Unit<?> target = parse(to);
        try {
            return source.getConverterToAny(target);
        } catch (IncommensurableException | UnconvertibleException e) {
            throw new UnitException("unit '" + from + "' cannot be converted to '" + to + "' (" + source.getDimension()
                    + " is not " + target.getDimension() + ")");
        }
    }
}
