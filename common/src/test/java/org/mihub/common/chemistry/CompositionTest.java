package org.mihub.common.chemistry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CompositionTest {

    @Test
    void optimadeFormulasAreAlphabeticalAndReducedToWholeNumbers() {
        assertEquals(Optional.of("Fe2O3"), FormulaParser.parse("Fe4O6").alphabeticalFormula());
        assertEquals(Optional.of("ClNa"), FormulaParser.parse("NaCl").alphabeticalFormula());
        assertEquals(Optional.of("CoFeO3"), FormulaParser.parse("(Fe0.5Co0.5)2O3").alphabeticalFormula());
        assertEquals(Optional.of("CuH10O9S"), FormulaParser.parse("CuSO4·5H2O").alphabeticalFormula());
        assertEquals(Optional.of("Al3Co10Cr5Fe7Ni25"),
                FormulaParser.parse("Al0.06Co0.2Cr0.1Fe0.14Ni0.5").alphabeticalFormula());
        assertTrue(FormulaParser.parse("Fe0.31415O").alphabeticalFormula().isEmpty(),
                "no factor up to 1000 makes 0.31415 whole");
    }

    @Test
    void anonymousFormulasOrderProportionsDownwards() {
        assertEquals(Optional.of("A3B2"), FormulaParser.parse("Fe2O3").anonymousFormula());
        assertEquals(Optional.of("A4BCD"), FormulaParser.parse("LiFePO4").anonymousFormula());
        assertEquals(Optional.of("AB"), FormulaParser.parse("NaCl").anonymousFormula());
    }

    @Test
    void anonymousLabelsGoOnPastZ() {
        StringBuilder formula = new StringBuilder();
        String[] elements = {"H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S",
            "Cl", "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni"};
        for (int i = 0; i < elements.length; i++) {
            formula.append(elements[i]).append(100 - i);
        }
        String anonymous = FormulaParser.parse(formula.toString()).anonymousFormula().orElseThrow();
        assertTrue(anonymous.startsWith("A100B99C98"), anonymous);
        assertTrue(anonymous.endsWith("Z75Aa74Ba73"), anonymous);
    }

    @Test
    void fractionsFollowTheAlphabeticalElements() {
        Composition composition = FormulaParser.parse("Fe2O3");
        assertEquals(java.util.List.of("Fe", "O"), composition.elements());
        assertArrayEquals(new double[] {0.4, 0.6}, composition.alphabeticalFractions(), 1e-12);
        assertEquals(Map.of("Fe", 2L, "O", 3L), composition.wholeProportions().orElseThrow());
    }
}
