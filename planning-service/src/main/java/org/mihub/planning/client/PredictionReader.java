package org.mihub.planning.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.prediction.v1.CompositionInput;
import org.mihub.api.prediction.v1.ElementAmounts;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.ModelStatus;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictResponse;
import org.mihub.api.prediction.v1.Prediction;
import org.mihub.api.prediction.v1.PredictionServiceGrpc;
import org.mihub.common.error.ApiException;
import org.mihub.common.units.Units;
import org.mihub.planning.config.ClientsConfig;

import io.quarkus.grpc.GrpcClient;

/**
 * Predictions of a prediction-service model for many compositions, asked as the caller (a model
 * the caller may not see is NOT_FOUND there, and so here), in batches the service accepts.
 */
@ApplicationScoped
public class PredictionReader {

    /** Compositions per Predict call (the service's default limit is 10 000). */
    private static final int BATCH = 5_000;

    /** A model's predictions, in the order of the compositions, in the model's target unit. */
    public record Predicted(String property, String unit, double[] mean, double[] std) {

        /**
         * The predictions in {@code wanted} (unchanged when either unit is unset or they are equal);
         * FAILED_PRECONDITION when the model's unit does not convert to it.
         */
        public Predicted in(String wanted, String modelId) {
            if (wanted.isEmpty() || unit.isEmpty() || unit.equals(wanted)) {
                return this;
            }
            try {
                var converter = Units.converter(unit, wanted);
                double[] converted = new double[mean.length];
                double[] spread = new double[std.length];
                for (int i = 0; i < mean.length; i++) {
                    converted[i] = converter.convert(mean[i]);
                    spread[i] = Math.abs(converter.convert(mean[i] + std[i]) - converted[i]);
                }
                return new Predicted(property, wanted, converted, spread);
            } catch (Units.UnitException e) {
                throw new ApiException(ApiException.Kind.FAILED_PRECONDITION, "model " + modelId + " predicts in "
                        + unit + ", which does not convert to the objective's " + wanted, List.of());
            }
        }
    }

    @GrpcClient("prediction")
    PredictionServiceGrpc.PredictionServiceBlockingStub prediction;

    @Inject
    ClientsConfig config;

    /**
     * Checks that the caller may use the model (NOT_FOUND otherwise, from the prediction service),
     * that it is ready and that it predicts {@code property}.
     */
    public void requireModelOf(String modelId, String property, String field) {
        Model model = prediction.withDeadlineAfter(config.predictionDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .getModel(GetModelRequest.newBuilder().setId(modelId).build());
        if (model.getStatus() != ModelStatus.MODEL_STATUS_READY) {
            throw ApiException.invalid(field, "model " + modelId + " is " + model.getStatus() + ", not ready");
        }
        if (!model.getTargetProperty().equals(property)) {
            throw ApiException.invalid(field, "model " + modelId + " predicts " + model.getTargetProperty()
                    + ", not " + property);
        }
    }

    public Predicted predict(String modelId, List<Map<String, Double>> compositions, String field) {
        double[] mean = new double[compositions.size()];
        double[] std = new double[compositions.size()];
        String property = "";
        String unit = "";
        for (int from = 0; from < compositions.size(); from += BATCH) {
            int to = Math.min(compositions.size(), from + BATCH);
            PredictRequest.Builder request = PredictRequest.newBuilder().setModelId(modelId);
            for (int i = from; i < to; i++) {
                request.addInputs(CompositionInput.newBuilder()
                        .setAmounts(ElementAmounts.newBuilder().putAllAmounts(compositions.get(i))));
            }
            PredictResponse response = prediction
                    .withDeadlineAfter(config.predictionDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .predict(request.build());
            property = response.getModel().getTargetProperty();
            unit = response.getModel().getTargetUnit();
            for (int i = 0; i < response.getPredictionsCount(); i++) {
                Prediction p = response.getPredictions(i);
                if (!p.hasValue()) {
                    throw ApiException.invalid(field, "model " + modelId + " cannot predict candidate "
                            + (from + i) + ": " + p.getError().getReason());
                }
                mean[from + i] = p.getValue().getMean();
                std[from + i] = p.getValue().getStd();
            }
        }
        return new Predicted(property, unit, mean, std);
    }
}
