package org.mihub.common.chemistry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mihub.common.chemistry.FormulaException.Kind;

class FormulaParserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Fe2O3            | Fe2O3",
            "Fe4O6            | Fe2O3",
            "O3Fe2            | Fe2O3",
            "CuSO4·5H2O       | CuH10SO9",
            "CuSO4*5H2O       | CuH10SO9",
            "Ag(W3Br7)2       | AgW6Br14",
            "(Fe0.5Co0.5)2O3  | FeCoO3",
            "[Co(NH3)6]Cl3    | CoH18N6Cl3",
            "Fe 2 O 3         | Fe2O3",
            "NaCl             | NaCl",
            "Fe0.62Ni0.19Co0.15Mo0.04 | Fe0.62Co0.15Ni0.19Mo0.04",
            "Li.5CoO2         | Li0.5CoO2",
            "He               | He",
    })
    void reducedFormulas(String formula, String reduced) {
        assertEquals(reduced, FormulaParser.parse(formula).reducedFormula());
    }

    @Test
    void compositionElementsAndFractions() {
        Composition hydrate = FormulaParser.parse("CuSO4·5H2O");
        assertEquals(Map.of("Cu", 1.0, "S", 1.0, "O", 9.0, "H", 10.0), hydrate.amounts());
        assertEquals(List.of("Cu", "H", "O", "S"), hydrate.elements());
        assertEquals(4, hydrate.elementCount());
        assertEquals(1.0, hydrate.atomicFractions().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-12);
        assertEquals(0.4, FormulaParser.parse("Fe2O3").atomicFractions().get("Fe"), 1e-12);
    }

    @ParameterizedTest(name = "{0}: {1} at {2}")
    @CsvSource(delimiter = '|', value = {
            "''        | EMPTY                | 0",
            "'   '     | EMPTY                | 0",
            "Xx2       | UNKNOWN_ELEMENT      | 0",
            "FeXx      | UNKNOWN_ELEMENT      | 2",
            "NaCL      | UNKNOWN_ELEMENT      | 3",
            "fe2O3     | UNKNOWN_ELEMENT      | 0",
            "Fe2(O3    | UNBALANCED           | 3",
            "FeO)      | UNBALANCED           | 3",
            "[Fe2O3)   | UNBALANCED           | 0",
            "Fe0O      | BAD_AMOUNT           | 2",
            "Fe-2O     | BAD_AMOUNT           | 2",
            "Fe2.O     | BAD_AMOUNT           | 2",
            "Fe2O3·    | EMPTY                | 6",
            "Fe2O3#    | UNEXPECTED_CHARACTER | 5",
            "()        | EMPTY                | 0",
            "2         | EMPTY                | 1",
    })
    void errorsSayWhatAndWhere(String formula, Kind kind, int position) {
        FormulaException error = assertThrows(FormulaException.class, () -> FormulaParser.parse(formula));
        assertEquals(kind, error.kind(), error.getMessage());
        assertEquals(position, error.position(), error.getMessage());
    }

    @Test
    void hostileNestingIsRefusedAtTheFirstBracketTooDeep() {
        for (int levels : new int[] {5_000, 50_000}) {
            String formula = "(".repeat(levels) + "H" + ")".repeat(levels);
            var error = assertThrows(FormulaException.class, () -> FormulaParser.parse(formula));
            assertEquals(Kind.UNBALANCED, error.kind());
            assertEquals(FormulaParser.MAX_DEPTH, error.position(), error.getMessage());
        }
        String deepest = "(".repeat(FormulaParser.MAX_DEPTH) + "H" + ")".repeat(FormulaParser.MAX_DEPTH);
        assertEquals(1.0, FormulaParser.parse(deepest).amounts().get("H"));
    }

    @Test
    void absurdAmountsAreRefusedWithThePosition() {
        var written = assertThrows(FormulaException.class, () -> FormulaParser.parse("Fe100000000000000000000O"));
        assertEquals(Kind.BAD_AMOUNT, written.kind());
        assertEquals(2, written.position());
        assertEquals("amount '100000000000000000000' is larger than 1000000 at position 2", written.getMessage());
        var multiplied = assertThrows(FormulaException.class, () -> FormulaParser.parse("((H1000)1000)1000"));
        assertEquals(Kind.BAD_AMOUNT, multiplied.kind());
        assertEquals(16, multiplied.position(), multiplied.getMessage());
        assertEquals(1_000_000.0, FormulaParser.parse("(H1000)1000").amounts().get("H"));
    }

    @Test
    void unknownElementIsNamed() {
        var error = assertThrows(FormulaException.class, () -> FormulaParser.parse("FeXx"));
        assertEquals("unknown element 'Xx' at position 2", error.getMessage());
    }

    /** Every composition of the Matbench data (shared folder, not shipped with the project) parses. */
    @Test
    void everyMatbenchCompositionParses() throws IOException {
        Path folder = Path.of("../../shared/data/matbench");
        assumeTrue(Files.isDirectory(folder), "skipped: " + folder.toAbsolutePath().normalize() + " is absent");
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (String file : List.of("matbench_expt_gap.csv", "matbench_steels.csv")) {
            List<String> lines = Files.readAllLines(folder.resolve(file));
            for (String line : lines.subList(1, lines.size())) {
                String composition = line.split(",")[1];
                try {
                    FormulaParser.parse(composition);
                    parsed++;
                } catch (FormulaException e) {
                    failures.add(composition + ": " + e.getMessage());
                }
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(4604 + 312, parsed);
    }

    @Test
    void deuteriumAndTritiumCountAsHydrogen() {
        assertEquals(Map.of("H", 2.0, "O", 1.0), FormulaParser.parse("D2O").amounts());
        assertEquals(Map.of("H", 3.0, "O", 1.0), FormulaParser.parse("HDTO").amounts());
        assertEquals(Map.of("Y", 1.0, "Ba", 2.0, "Cu", 3.0, "O", 6.5, "H", 0.5),
                FormulaParser.parse("YBa2Cu3O6.5D0.5").amounts());
        assertEquals(Map.of("Te", 1.0), FormulaParser.parse("Te").amounts(), "Te is tellurium, not T and e");
        assertEquals(Map.of("Tb", 1.0), FormulaParser.parse("Tb").amounts());
        assertEquals(Kind.UNKNOWN_ELEMENT, assertThrows(FormulaException.class, () -> FormulaParser.parse("Dx")).kind());
    }

    @Test
    void theForgivingParseDropsAZeroAmountWithAWarningAndTheStrictOneRefusesIt() {
        var parsed = FormulaParser.parseForgiving("Ba0Cu1O2");
        assertEquals(Map.of("Cu", 1.0, "O", 2.0), parsed.composition().amounts());
        assertEquals(List.of(new FormulaParser.Warning(2, "element 'Ba' with amount 0 at position 2 was left out")),
                parsed.warnings());
        assertEquals(List.of(), FormulaParser.parseForgiving("BaCuO2").warnings());
        assertEquals(Map.of("Fe", 1.0, "O", 1.0), FormulaParser.parseForgiving("FeNi0.0O").composition().amounts());
        assertEquals(Kind.BAD_AMOUNT, assertThrows(FormulaException.class, () -> FormulaParser.parse("Ba0Cu1O2"))
                .kind());
        var nothing = assertThrows(FormulaException.class, () -> FormulaParser.parseForgiving("Ba0"));
        assertEquals(Kind.EMPTY, nothing.kind());
        assertEquals(Kind.BAD_AMOUNT, assertThrows(FormulaException.class,
                () -> FormulaParser.parseForgiving("Ba-1Cu")).kind(), "a negative amount stays an error");
    }
}
