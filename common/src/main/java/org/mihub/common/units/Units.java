package org.mihub.common.units;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.measure.IncommensurableException;
import javax.measure.UnconvertibleException;
import javax.measure.Unit;
import javax.measure.UnitConverter;

import systems.uom.ucum.format.UCUMFormat;

/**
 * Unit symbols (UCUM, case-sensitive: "eV", "MPa", "Cel", "K", "g/cm3", "W/(m.K)") and
 * conversions between them, all by the JSR-385 reference implementation with the UCUM system; no
 * factor is written by hand here.
 */
public final class Units {

    private static final UCUMFormat FORMAT = UCUMFormat.getInstance(UCUMFormat.Variant.CASE_SENSITIVE);
    private static final Map<String, Unit<?>> PARSED = new ConcurrentHashMap<>();

    private Units() {
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
