package org.mihub.prediction.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianProcessModelTest {

    @Test
    void learnsASmoothFunctionFromFewRowsAndIgnoresConstantFeatures() {
        double[] y = new double[120];
        double[][] x = withConstantColumn(ModelTesting.data(120, 3, 11, y));
        double[] testY = new double[400];
        double[][] testX = withConstantColumn(ModelTesting.data(400, 3, 12, testY));
        GaussianProcessModel model = GaussianProcessModel.fit(x, y, GaussianProcessModel.Params.defaults(5), 2);
        ModelTesting.Score score = ModelTesting.score(model, testX, testY);
        assertTrue(score.mae() < 0.12, "MAE " + score.mae());
        assertTrue(score.coverage95() > 0.88, "95 % coverage " + score.coverage95());
        double[] lengths = model.hyperparameters().lengthScales();
        assertTrue(lengths.length == 3, "the constant fourth feature is left out");
        assertTrue(lengths[2] > 2 * lengths[0], "the irrelevant x2 has a longer length scale than x0: "
                + java.util.Arrays.toString(lengths));
    }

    @Test
    void isSurerNearTheDataThanFarFromIt() {
        double[] y = new double[60];
        double[][] x = ModelTesting.data(60, 2, 13, y);
        GaussianProcessModel model = GaussianProcessModel.fit(x, y, GaussianProcessModel.Params.defaults(5), 1);
        double[] means = new double[2];
        double[] stds = new double[2];
        model.predict(new double[][] {x[0], {6, -6}}, means, stds, 1);
        assertTrue(stds[1] > 3 * stds[0], "std near " + stds[0] + ", far " + stds[1]);
    }

    @Test
    void theStoredModelPredictsExactlyAsTheFittedOneAndTheSeedFixesTheFit() {
        double[] y = new double[80];
        double[][] x = ModelTesting.data(80, 3, 14, y);
        GaussianProcessModel model = GaussianProcessModel.fit(x, y, GaussianProcessModel.Params.defaults(5), 2);
        GaussianProcessModel again = GaussianProcessModel.fit(x, y, GaussianProcessModel.Params.defaults(5), 1);
        assertArrayEquals(ModelTesting.bytes(model), ModelTesting.bytes(again));
        Regressor read = ModelTesting.roundTrip(model, x);
        double[] testY = new double[30];
        double[][] testX = ModelTesting.data(30, 3, 15, testY);
        ModelTesting.assertSamePredictions(model, read, testX);
    }

    @Test
    void refusesMoreRowsThanItIsMeantFor() {
        double[] y = new double[GaussianProcessModel.MAX_ROWS + 1];
        double[][] x = ModelTesting.data(y.length, 2, 16, y);
        assertThrows(IllegalArgumentException.class,
                () -> GaussianProcessModel.fit(x, y, GaussianProcessModel.Params.defaults(1), 1));
    }

    private static double[][] withConstantColumn(double[][] x) {
        double[][] wider = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            wider[i] = java.util.Arrays.copyOf(x[i], x[i].length + 1);
            wider[i][x[i].length] = 2.5;
        }
        return wider;
    }
}
