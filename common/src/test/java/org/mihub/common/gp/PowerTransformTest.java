package org.mihub.common.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PowerTransformTest {

    private static double skewness(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double m2 = 0;
        double m3 = 0;
        for (double v : values) {
            m2 += (v - mean) * (v - mean);
            m3 += (v - mean) * (v - mean) * (v - mean);
        }
        m2 /= values.length;
        m3 /= values.length;
        return m3 / Math.pow(m2, 1.5);
    }

    @Test
    void aLogNormalSampleIsBentTowardsSymmetryAndMapsBack() {
        SplittableRandom random = new SplittableRandom(3);
        double[] values = new double[400];
        for (int i = 0; i < values.length; i++) {
            // a conductivity-like spread over two decades: heavily right-skewed
            values[i] = Math.exp(1.2 * gaussian(random)) * 50;
        }
        PowerTransform transform = PowerTransform.fit(values);
        assertTrue(transform.lambda() < 1, "a right skew is compressed: lambda " + transform.lambda());
        assertTrue(transform.bends());
        double[] warped = transform.apply(values);
        assertTrue(skewness(values) > 2, "skewness before " + skewness(values));
        assertTrue(Math.abs(skewness(warped)) < 0.5, "skewness after " + skewness(warped));
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], transform.inverse(warped[i]), 1e-9 * Math.max(1, values[i]), "round trip");
        }
    }

    @Test
    void theTransformIsStrictlyIncreasingSoTheBestStaysTheBest() {
        double[] values = {-40, -3, -2.5, 0, 0.1, 7, 8, 9, 120};
        PowerTransform transform = PowerTransform.fit(values);
        for (int i = 1; i < values.length; i++) {
            assertTrue(transform.apply(values[i]) > transform.apply(values[i - 1]), "at " + values[i]);
        }
        for (double lambda : new double[] {-3, -1, 0, 0.5, 1, 2, 3}) {
            for (double u = -5; u <= 5; u += 0.25) {
                double z = PowerTransform.yeoJohnson(u, lambda);
                assertEquals(u, PowerTransform.inverseYeoJohnson(z, lambda), 1e-9, "lambda " + lambda + ", u " + u);
                assertTrue(PowerTransform.yeoJohnson(u + 0.25, lambda) > z);
            }
        }
    }

    @Test
    void symmetricOrConstantValuesAreLeftUnbent() {
        double[] normal = new double[500];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < normal.length; i++) {
            normal[i] = 10 + 2 * gaussian(random);
        }
        assertEquals(1, PowerTransform.fit(normal).lambda(), "no evidence against normality: not bent");
        assertFalse(PowerTransform.fit(normal).bends());
        assertEquals(1, PowerTransform.fit(new double[] {1, 2, 3, 9}).lambda(),
                "four values are too few to tell a skew from chance");
        PowerTransform constant = PowerTransform.fit(new double[] {4, 4, 4});
        assertEquals(1, constant.lambda());
        assertEquals(4, constant.inverse(constant.apply(4)), 1e-12);
        PowerTransform single = PowerTransform.fit(new double[] {7});
        assertEquals(7, single.inverse(single.apply(7)), 1e-12);
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
