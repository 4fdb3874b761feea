package org.mihub.gateway.client;

import static org.mihub.gateway.client.CommonMapper.text;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.JobRef;
import org.mihub.api.prediction.v1.ArchiveModelRequest;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.ListModelsRequest;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsRequest;
import org.mihub.api.prediction.v1.ModelStatus;
import org.mihub.api.prediction.v1.MutinyPredictionServiceGrpc.MutinyPredictionServiceStub;
import org.mihub.gateway.config.BackendsConfig;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.ModelViews.JobView;
import org.mihub.gateway.view.ModelViews.ModelPage;
import org.mihub.gateway.view.ModelViews.ModelView;
import org.mihub.gateway.view.ModelViews.OutOfFoldPage;
import org.mihub.gateway.view.ModelViews.PredictInput;
import org.mihub.gateway.view.ModelViews.PredictionPage;
import org.mihub.gateway.view.ModelViews.TrainInput;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * The prediction service over gRPC, with the caller's token (relayed by mihub-common) and a deadline
 * per call: views and plain values in, views out; a refusal comes back as a {@link BackendFailure}.
 */
@ApplicationScoped
public class PredictionClient {

    @Inject
    @GrpcClient("prediction")
    MutinyPredictionServiceStub stub;

    @Inject
    BackendGuards guards;

    @Inject
    BackendsConfig config;

    private MutinyPredictionServiceStub stub(Duration within) {
        return guards.bind(stub, within);
    }

    private <T> Uni<T> read(Uni<T> call) {
        return guards.of(Backend.PREDICTION).read(call);
    }

    private <T> Uni<T> write(Uni<T> call) {
        return guards.of(Backend.PREDICTION).write(call);
    }

    /** Starts a training job. */
    public Uni<JobView> train(TrainInput input) {
        return write(stub(config.backendDeadline()).trainModel(PredictionMapper.train(input))).map(CommonMapper::job);
    }

    public Uni<JobView> job(String id) {
        return read(stub(config.backendDeadline()).getJob(JobRef.newBuilder().setJobId(id).build()))
                .map(CommonMapper::job);
    }

    public Uni<JobView> cancel(String id) {
        return write(stub(config.backendDeadline()).cancelJob(JobRef.newBuilder().setJobId(id).build()))
                .map(CommonMapper::job);
    }

    /**
     * Models the caller may see, newest first.
     *
     * @param status ready, archived, or null/blank for both
     */
    public Uni<ModelPage> list(String name, String target, String owner, String status, boolean latestOnly, int limit,
            String cursor) {
        var request = ListModelsRequest.newBuilder().setName(text(name)).setTargetProperty(text(target))
                .setOwnerOrg(text(owner)).setLatestOnly(latestOnly).setPage(CommonMapper.page(limit, cursor));
        if (status != null && !status.isBlank()) {
            switch (status.toLowerCase(Locale.ROOT)) {
                case "ready" -> request.setStatus(ModelStatus.MODEL_STATUS_READY);
                case "archived" -> request.setStatus(ModelStatus.MODEL_STATUS_ARCHIVED);
                default -> throw new InvalidInput("status", "'" + status + "' is not ready or archived");
            }
        }
        return read(stub(config.backendDeadline()).listModels(request.build())).map(page -> new ModelPage(
                page.getModelsList().stream().map(PredictionMapper::model).toList(),
                CommonMapper.nextCursor(page.getPageInfo())));
    }

    public Uni<ModelView> get(String id) {
        return read(stub(config.backendDeadline()).getModel(GetModelRequest.newBuilder().setId(id).build()))
                .map(PredictionMapper::model);
    }

    public Uni<ModelView> archive(String id, String reason) {
        return write(stub(config.backendDeadline()).archiveModel(ArchiveModelRequest.newBuilder().setId(id)
                .setReason(text(reason)).build())).map(PredictionMapper::model);
    }

    /** The out-of-fold predictions of a model's cross-validation, a page at a time. */
    public Uni<OutOfFoldPage> outOfFold(String modelId, int limit, String cursor) {
        var request = ListOutOfFoldPredictionsRequest.newBuilder().setModelId(modelId)
                .setPage(CommonMapper.page(limit, cursor)).build();
        return read(stub(config.backendDeadline()).listOutOfFoldPredictions(request)).map(page -> new OutOfFoldPage(
                page.getPredictionsList().stream().map(PredictionMapper::outOfFold).toList(),
                page.getPageInfo().getTotalSize(), CommonMapper.nextCursor(page.getPageInfo())));
    }

    public Uni<PredictionPage> predict(String modelId, PredictInput input, boolean explain) {
        return read(stub(config.predictDeadline()).predict(PredictionMapper.predict(modelId, input, explain)))
                .map(response -> new PredictionPage(PredictionMapper.summary(response.getModel()),
                        response.getPredictionsList().stream().map(PredictionMapper::prediction).toList()));
    }
}
