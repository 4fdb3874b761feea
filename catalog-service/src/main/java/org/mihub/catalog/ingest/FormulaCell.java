package org.mihub.catalog.ingest;

import java.util.List;

import org.mihub.catalog.ingest.Rejection.Code;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;

/** The formula of an ingested record, as every reader validates it. */
final class FormulaCell {

    private FormulaCell() {
    }

    /** The composition, or null with the reason in {@code problems} (missing, unknown element, bad formula). */
    static Composition parse(String formula, long row, long line, List<Rejection> problems) {
        if (formula.isEmpty()) {
            problems.add(new Rejection(row, line, "formula", Code.MISSING_VALUE, "a formula is required", "", null));
            return null;
        }
        try {
            return FormulaParser.parse(formula);
        } catch (FormulaException e) {
            problems.add(new Rejection(row, line, "formula", e.kind() == FormulaException.Kind.UNKNOWN_ELEMENT
                    ? Code.UNKNOWN_ELEMENT : Code.BAD_FORMULA, e.getMessage(), formula, e.position()));
            return null;
        }
    }
}
