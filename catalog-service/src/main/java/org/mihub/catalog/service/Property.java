package org.mihub.catalog.service;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A property of the vocabulary. A numeric one's values are stored in {@code canonicalUnit}; {@code
 * minimum} and {@code maximum} are the values it can possibly take, in that unit, when it is bounded (a
 * band gap is at least 0), null when it is not. A categorical one has its {@code labels}, in the order
 * they were added (a label's position is its stored code, so labels are only ever appended). Boolean
 * and text properties have neither unit nor labels. {@code version} counts the changes.
 */
public record Property(String name, String displayName, String displayNameJa, String description, ValueType valueType,
        String canonicalUnit, String quantityKind, Double minimum, Double maximum, List<String> labels,
        String addedBy, String addedByOrg, Instant addedAt, Instant updatedAt, int version, boolean deprecated,
        String deprecationReason) {

    /** How a property's values are written down; {@link #wire()} is the name stored and shown. */
    public enum ValueType {
        NUMERIC, CATEGORICAL, BOOLEAN, TEXT;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static ValueType ofWire(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public Property {
        labels = List.copyOf(labels);
    }

    /** A numeric property as the fixed vocabulary had them (tests and callers that need no more). */
    public static Property numeric(String name, String displayName, String canonicalUnit, String quantityKind,
            String description, Double minimum, Double maximum) {
        return new Property(name, displayName, "", description, ValueType.NUMERIC, canonicalUnit, quantityKind, minimum,
                maximum, List.of(), "", "", null, null, 1, false, "");
    }

    public boolean numeric() {
        return valueType == ValueType.NUMERIC;
    }

    /** The stored code of a categorical label, or -1 when the property has no such label. */
    public int labelCode(String label) {
        return labels.indexOf(label);
    }

    /** Whether {@code value} (canonical unit) lies in the possible range. */
    public boolean inRange(double value) {
        return (minimum == null || value >= minimum) && (maximum == null || value <= maximum);
    }

    /** The range in words for a refusal: "at least 0 K", "between 0 and 1", "any". */
    public String rangeText() {
        String unit = canonicalUnit.isEmpty() ? "" : " " + canonicalUnit;
        if (minimum != null && maximum != null) {
            return "between " + plain(minimum) + " and " + plain(maximum) + unit;
        }
        if (minimum != null) {
            return "at least " + plain(minimum) + unit;
        }
        if (maximum != null) {
            return "at most " + plain(maximum) + unit;
        }
        return "any value";
    }

    private static String plain(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** How the property reads in a refusal or a conflict: "numeric in K (temperature)", "categorical [fcc, bcc]". */
    public String summary() {
        return switch (valueType) {
            case NUMERIC -> "numeric in " + canonicalUnit + " (" + quantityKind + ")";
            case CATEGORICAL -> "categorical " + labels;
            case BOOLEAN -> "boolean";
            case TEXT -> "text";
        };
    }
}
