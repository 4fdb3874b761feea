package org.mihub.gateway.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.prediction.v1.ArchiveModelRequest;
import org.mihub.api.prediction.v1.GetModelRequest;
import org.mihub.api.prediction.v1.ListModelsRequest;
import org.mihub.api.prediction.v1.ListModelsResponse;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsRequest;
import org.mihub.api.prediction.v1.ListOutOfFoldPredictionsResponse;
import org.mihub.api.prediction.v1.Model;
import org.mihub.api.prediction.v1.MutinyPredictionServiceGrpc.MutinyPredictionServiceStub;
import org.mihub.api.prediction.v1.PredictRequest;
import org.mihub.api.prediction.v1.PredictResponse;
import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.gateway.config.BackendsConfig;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/** The prediction service over gRPC, with the caller's token (relayed by mihub-common) and a deadline per call. */
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

    public Uni<Job> train(TrainModelRequest request) {
        return write(stub(config.backendDeadline()).trainModel(request));
    }

    public Uni<Job> job(String id) {
        return read(stub(config.backendDeadline()).getJob(JobRef.newBuilder().setJobId(id).build()));
    }

    public Uni<Job> cancel(String id) {
        return write(stub(config.backendDeadline()).cancelJob(JobRef.newBuilder().setJobId(id).build()));
    }

    public Uni<ListModelsResponse> list(ListModelsRequest request) {
        return read(stub(config.backendDeadline()).listModels(request));
    }

    public Uni<Model> get(String id) {
        return read(stub(config.backendDeadline()).getModel(GetModelRequest.newBuilder().setId(id).build()));
    }

    public Uni<Model> archive(String id, String reason) {
        return write(stub(config.backendDeadline()).archiveModel(ArchiveModelRequest.newBuilder().setId(id)
                .setReason(reason == null ? "" : reason).build()));
    }

    public Uni<ListOutOfFoldPredictionsResponse> outOfFold(ListOutOfFoldPredictionsRequest request) {
        return read(stub(config.backendDeadline()).listOutOfFoldPredictions(request));
    }

    public Uni<PredictResponse> predict(PredictRequest request) {
        return read(stub(config.predictDeadline()).predict(request));
    }
}
