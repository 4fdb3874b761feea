package org.mihub.common.units;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class UnitSuggestionsTest {

    @Test
    void aMistypedUnitFindsTheUcumSymbolsItWasMeantToBe() {
        assertEquals("meV", Units.suggest("mev", List.of(), 3).get(0));
        assertEquals("MPa", Units.suggest("Mpa", List.of(), 3).get(0));
        assertEquals("kPa", Units.suggest("kpa", List.of(), 3).get(0));
        assertTrue(Units.suggest("ev", List.of(), 5).contains("eV"));
    }

    @Test
    void theCallersOwnUnitsAreCandidatesAndEverySuggestionParses() {
        assertEquals("g/cm3", Units.suggest("g/cm^3", List.of("g/cm3"), 3).get(0));
        for (String symbol : Units.suggest("kelvin", List.of(), 10)) {
            Units.parse(symbol);
        }
        assertEquals(List.of(), Units.suggest("xyzzyplugh", List.of(), 3));
    }
}
