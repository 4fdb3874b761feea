package org.mihub.common.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ColumnCholeskyTest {

    @Test
    void factorInverseAndProductRebuildTheIdentity() {
        int n = 37;
        SplittableRandom random = new SplittableRandom(3);
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextDouble() - 0.5;
        }
        // K = B Bᵀ + n I, symmetric positive definite; kept whole for the check
        double[] k = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = i == j ? n : 0;
                for (int t = 0; t < n; t++) {
                    sum += b[i * n + t] * b[j * n + t];
                }
                k[j * n + i] = sum;
            }
        }
        double[] factor = k.clone();
        assertTrue(ColumnCholesky.factor(factor, n));
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = 0;
                for (int t = 0; t <= j; t++) {
                    sum += factor[t * n + i] * factor[t * n + j];
                }
                assertEquals(k[j * n + i], sum, 1e-9 * n, "L Lᵀ at (" + i + ", " + j + ")");
            }
        }
        double[] inverseFactor = new double[n * n];
        ColumnCholesky.invertLower(factor, inverseFactor, n);
        double[] kInverse = new double[n * n];
        ColumnCholesky.inverseProduct(inverseFactor, kInverse, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int t = 0; t < n; t++) {
                    sum += k[t * n + i] * kInverse[j * n + t];
                }
                assertEquals(i == j ? 1 : 0, sum, 1e-10, "K K⁻¹ at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteIsRefused() {
        double[] a = {1, 2, 2, 1};
        assertFalse(ColumnCholesky.factor(a, 2));
        assertFalse(ColumnCholesky.factor(new double[] {Double.NaN}, 1));
    }
}
