package org.mihub.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class SuggestionsTest {

    private static final List<String> FOREST = List.of("nTrees", "maxDepth", "minSamplesLeaf", "maxFeatures");

    @Test
    void aTypoFindsTheNameItWasMeantToBe() {
        assertEquals("nTrees", Suggestions.closest("nTress", FOREST));
        assertEquals("nTrees", Suggestions.closest("ntrees", FOREST), "case does not count");
        assertEquals("maxDepth", Suggestions.closest("max_depth", FOREST));
        assertEquals("minSamplesLeaf", Suggestions.closest("minSampleLeaf", FOREST));
        assertEquals("; did you mean nTrees?", Suggestions.didYouMean("nTres", FOREST));
    }

    @Test
    void aNameFarFromEveryKnownOneGetsNoSuggestion() {
        assertNull(Suggestions.closest("learningRate", FOREST));
        assertNull(Suggestions.closest("x", FOREST));
        assertNull(Suggestions.closest("", FOREST));
        assertNull(Suggestions.closest(null, FOREST));
        assertNull(Suggestions.closest("nTrees", List.of()));
        assertEquals("", Suggestions.didYouMean("colour", FOREST));
    }

    @Test
    void theCloserOfTwoCandidatesWins() {
        assertEquals("title", Suggestions.closest("titles", List.of("tile", "title")));
        assertEquals("tile", Suggestions.closest("tilr", List.of("tile", "title")));
    }

    @Test
    void severalCloseNamesComeClosestFirst() {
        var units = List.of("MeV", "meV", "eV", "keV", "mV", "K");
        assertEquals(List.of("meV", "MeV", "eV"), Suggestions.closest("mev", units, 3));
        assertEquals(List.of("eV", "MeV", "meV"), Suggestions.closest("ev", units, 3));
        assertEquals(List.of(), Suggestions.closest("furlong", units, 3));
        assertEquals(List.of(), Suggestions.closest("eV", units, 0));
    }
}
