package org.mihub.common.gp;

/**
 * The three dense steps of every marginal-likelihood evaluation — Cholesky factor L of the
 * covariance, L⁻¹ and K⁻¹ = L⁻ᵀL⁻¹ — on column-major arrays, ordered so that the inner loops are
 * updates of contiguous columns (AXPY), which the JIT turns into vector instructions. EJML's dense
 * Cholesky and triangular inverse run on row dot products, which Java cannot vectorise (a
 * floating-point sum must keep its order); these loops do the same work about twice as fast for the
 * few hundred observations of a campaign.
 *
 * <p>Hand-written: no Java library under a permissive licence ships a vectorised LAPACK-style
 * Cholesky (EJML's is the row-oriented one above; netlib-java's native BLAS is unmaintained).
 */
final class ColumnCholesky {

    private ColumnCholesky() {
    }

    /**
     * Overwrites the lower triangle of {@code a} (column-major n × n, element (i, j) at
     * {@code j * n + i}) with its Cholesky factor L, right-looking: after column k is scaled, every
     * later column is updated by one contiguous multiply-add. The upper triangle is not read.
     *
     * @return false when a pivot is not positive (the matrix is not positive definite); {@code a}
     *         is then partly overwritten
     */
    static boolean factor(double[] a, int n) {
        for (int k = 0; k < n; k++) {
            int ck = k * n;
            double pivot = a[ck + k];
            if (!(pivot > 0) || !Double.isFinite(pivot)) {
                return false;
            }
            double diagonal = Math.sqrt(pivot);
            a[ck + k] = diagonal;
            double inverse = 1 / diagonal;
            for (int i = k + 1; i < n; i++) {
                a[ck + i] *= inverse;
            }
            for (int j = k + 1; j < n; j++) {
                double ljk = a[ck + j];
                int cj = j * n;
                for (int i = j; i < n; i++) {
                    a[cj + i] -= ljk * a[ck + i];
                }
            }
        }
        return true;
    }

    /**
     * L⁻¹ of a lower-triangular factor (column-major) into {@code inverse} (column-major, lower):
     * column j solves L x = e_j by forward substitution, one column update per step (n³/6
     * multiply-adds in all).
     */
    static void invertLower(double[] l, double[] inverse, int n) {
        for (int j = 0; j < n; j++) {
            int cj = j * n;
            java.util.Arrays.fill(inverse, cj, cj + j, 0);
            java.util.Arrays.fill(inverse, cj + j, cj + n, 0);
            inverse[cj + j] = 1;
            for (int i = j; i < n; i++) {
                int ci = i * n;
                double xi = inverse[cj + i] / l[ci + i];
                inverse[cj + i] = xi;
                for (int r = i + 1; r < n; r++) {
                    inverse[cj + r] -= xi * l[ci + r];
                }
            }
        }
    }

    /**
     * K⁻¹ = L⁻ᵀ L⁻¹ from the lower-triangular L⁻¹ (column-major) as a full symmetric n × n array:
     * entry (a, b) is the dot product of columns a and b below row max(a, b), n³/6 multiply-adds,
     * with four independent partial sums to keep the floating-point units busy.
     */
    static void inverseProduct(double[] inverseFactor, double[] result, int n) {
        for (int a = 0; a < n; a++) {
            int ca = a * n;
            for (int b = 0; b <= a; b++) {
                int cb = b * n;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int i = a;
                for (; i + 3 < n; i += 4) {
                    s0 += inverseFactor[ca + i] * inverseFactor[cb + i];
                    s1 += inverseFactor[ca + i + 1] * inverseFactor[cb + i + 1];
                    s2 += inverseFactor[ca + i + 2] * inverseFactor[cb + i + 2];
                    s3 += inverseFactor[ca + i + 3] * inverseFactor[cb + i + 3];
                }
                for (; i < n; i++) {
                    s0 += inverseFactor[ca + i] * inverseFactor[cb + i];
                }
                double value = (s0 + s1) + (s2 + s3);
                result[a * n + b] = value;
                result[b * n + a] = value;
            }
        }
    }
}
