package org.mihub.catalog.ingest;

import java.util.List;

import org.mihub.catalog.ingest.Rejection.Code;
import org.mihub.common.chemistry.Composition;
import org.mihub.common.chemistry.FormulaException;
import org.mihub.common.chemistry.FormulaParser;

/**
 * The formula of an ingested record, as every reader validates it: forgiving as real tables need (D
 * and T count as hydrogen; an element with amount 0, {@code Ba0Cu1O2}, is left out with a warning);
 * every other refusal keeps its position.
 */
final class FormulaCell {

    private FormulaCell() {
    }

    /**
     * The composition, or null with the reason in {@code problems} (missing, unknown element, bad formula);
     * what was let pass goes to {@code warnings}.
     */
    static Composition parse(String formula, long row, long line, List<Rejection> problems, List<Rejection> warnings) {
        if (formula.isEmpty()) {
            problems.add(new Rejection(row, line, "formula", Code.MISSING_VALUE, "a formula is required", "", null));
            return null;
        }
        try {
            var parsed = FormulaParser.parseForgiving(formula);
            parsed.warnings().forEach(warning -> warnings.add(new Rejection(row, line, "formula", Code.BAD_FORMULA,
                    warning.message(), formula, warning.position())));
            return parsed.composition();
        } catch (FormulaException e) {
            problems.add(new Rejection(row, line, "formula", e.kind() == FormulaException.Kind.UNKNOWN_ELEMENT
                    ? Code.UNKNOWN_ELEMENT : Code.BAD_FORMULA, e.getMessage(), formula, e.position()));
            return null;
        }
    }
}
