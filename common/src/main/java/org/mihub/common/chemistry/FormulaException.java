package org.mihub.common.chemistry;

/**
 * A formula that cannot be parsed: what is wrong and where (0-based character position in the
 * formula as given).
 */
public class FormulaException extends IllegalArgumentException {

    /** What kind of problem, so callers can map it to their own error codes. */
    public enum Kind {
        EMPTY, UNKNOWN_ELEMENT, UNBALANCED, BAD_AMOUNT, UNEXPECTED_CHARACTER
    }

    private final Kind kind;
    private final int position;
    private final String reason;

    public FormulaException(Kind kind, int position, String reason) {
        super(reason + " at position " + position);
        this.kind = kind;
        this.position = position;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    /** 0-based position in the formula where the problem is. */
    public int position() {
        return position;
    }

    /** The reason without the position, e.g. "unknown element 'Xx'". */
    public String reason() {
        return reason;
    }
}
