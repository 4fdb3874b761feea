package org.mihub.catalog.ingest;

/**
 * One problem of an ingested document.
 *
 * @param row      1-based data row (0 for the whole document)
 * @param line     1-based physical line where the row starts (0 when not applicable)
 * @param column   the column header or field path; empty for whole-row problems
 * @param position 0-based character position inside the value (formula errors), or null
 */
public record Rejection(long row, long line, String column, Code code, String reason, String value, Integer position) {

    public enum Code {
        MALFORMED, EMPTY_DOCUMENT, MISSING_COLUMN, UNKNOWN_COLUMN, MISSING_VALUE, BAD_FORMULA, UNKNOWN_ELEMENT,
        UNKNOWN_PROPERTY, INCOMPATIBLE_UNIT, BAD_NUMBER, DUPLICATE_KEY, VALUE_TOO_LARGE, INVALID_VALUE
    }

    /** The offending value, cut to 200 characters. */
    public Rejection {
        value = value == null ? "" : value.length() > 200 ? value.substring(0, 200) : value;
        column = column == null ? "" : column;
    }

    public static Rejection document(Code code, String column, String reason) {
        return new Rejection(0, 0, column, code, reason, "", null);
    }
}
