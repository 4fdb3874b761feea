package org.mihub.catalog.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.mihub.catalog.ingest.Rejection.Code;
import org.mihub.catalog.service.Property;
import org.mihub.catalog.service.PropertyService;
import org.mihub.common.text.Suggestions;

/**
 * What every reader checks of a value against its property: a categorical, boolean or text value and
 * its stored code (migration V9: a boolean 0 or 1, a category its position among the labels, a text 0),
 * a numeric value against the property's possible range, and the close vocabulary matches of a name it
 * does not have.
 */
final class Labels {

    /** A label and the code stored in {@code value}. */
    record Coded(String label, double code) {
    }

    private Labels() {
    }

    /** The label and its code, or null with the reason in {@code problems}. */
    static Coded code(Property property, String given, long row, long line, String column, List<Rejection> problems) {
        String cell = given.strip();
        switch (property.valueType()) {
            case BOOLEAN -> {
                switch (cell.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "1", "t", "y" -> {
                        return new Coded("true", 1);
                    }
                    case "false", "no", "0", "f", "n" -> {
                        return new Coded("false", 0);
                    }
                    default -> {
                        problems.add(new Rejection(row, line, column, Code.INVALID_VALUE, "'" + property.name()
                                + "' is boolean: true or false (also yes/no, 1/0)", given, null));
                        return null;
                    }
                }
            }
            case CATEGORICAL -> {
                int code = property.labelCode(cell);
                if (code < 0) {
                    String close = Suggestions.closest(cell, property.labels());
                    problems.add(new Rejection(row, line, column, Code.INVALID_VALUE, "'" + cell + "' is not a label "
                            + "of '" + property.name() + "' " + property.labels()
                            + (close == null ? "" : "; did you mean " + close + "?")
                            + "; a curator adds labels with PATCH /api/v1/properties/" + property.name(), given, null));
                    return null;
                }
                return new Coded(cell, code);
            }
            case TEXT -> {
                return new Coded(given, 0);
            }
            default -> throw new IllegalStateException(property.name() + " is numeric");
        }
    }

    /** Whether a value (canonical unit) lies in the property's possible range; a row problem when not. */
    static boolean inRange(Property property, double canonical, long row, long line, String column, String given,
            List<Rejection> problems) {
        if (property.inRange(canonical)) {
            return true;
        }
        problems.add(new Rejection(row, line, column, Code.BAD_NUMBER, "outside the possible range of '"
                + property.name() + "' (" + property.rangeText() + "): " + canonical + " " + property.canonicalUnit(),
                given, null));
        return false;
    }

    /** "; close matches: a, b; ..." naming how a curator adds a property ({@link PropertyService#closeMatches}). */
    static String closeMatches(String name, Map<String, Property> vocabulary) {
        return PropertyService.closeMatches(name, vocabulary.keySet());
    }
}
