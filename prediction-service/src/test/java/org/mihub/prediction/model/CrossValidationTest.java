package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CrossValidationTest {

    @Test
    void rowsOfOneGroupShareAFoldAndTheGroupsAreDealtEvenly() {
        // 30 groups of 1 to 3 rows each (repeated measurements of one composition)
        int[] group = new int[60];
        for (int i = 0; i < group.length; i++) {
            group[i] = (i * 7) % 30;
        }
        int[] fold = CrossValidation.folds(group, 5, 42);
        for (int g = 0; g < 30; g++) {
            Set<Integer> folds = new HashSet<>();
            for (int i = 0; i < group.length; i++) {
                if (group[i] == g) {
                    folds.add(fold[i]);
                }
            }
            assertEquals(1, folds.size(), "group " + g + " lies in folds " + folds);
        }
        int[] groupsPerFold = new int[5];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < group.length; i++) {
            if (seen.add(group[i])) {
                groupsPerFold[fold[i]]++;
            }
        }
        assertArrayEquals(new int[] {6, 6, 6, 6, 6}, groupsPerFold);
        assertArrayEquals(fold, CrossValidation.folds(group, 5, 42), "the seed fixes the folds");
    }

    @Test
    void plainFoldsHoldEqualShares() {
        int[] plain = CrossValidation.folds(25, 5, 7);
        int[] sizes = new int[5];
        for (int f : plain) {
            sizes[f]++;
        }
        for (int size : sizes) {
            assertTrue(size == 5, "fold sizes " + java.util.Arrays.toString(sizes));
        }
    }
}
