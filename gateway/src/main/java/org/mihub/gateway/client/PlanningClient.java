package org.mihub.gateway.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.planning.v1.Campaign;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.GetCampaignRequest;
import org.mihub.api.planning.v1.GetSimulationRequest;
import org.mihub.api.planning.v1.ListCampaignsRequest;
import org.mihub.api.planning.v1.ListCampaignsResponse;
import org.mihub.api.planning.v1.ListProposalsRequest;
import org.mihub.api.planning.v1.ListProposalsResponse;
import org.mihub.api.planning.v1.MutinyPlanningServiceGrpc.MutinyPlanningServiceStub;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ProposeBatchResponse;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.ReportResultsResponse;
import org.mihub.api.planning.v1.Simulation;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;
import org.mihub.gateway.config.BackendsConfig;
import org.mihub.gateway.view.ModelViews.JobView;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/** The planning service over gRPC, with the caller's token (relayed by mihub-common) and a deadline per call. */
@ApplicationScoped
public class PlanningClient {

    @Inject
    @GrpcClient("planning")
    MutinyPlanningServiceStub stub;

    @Inject
    BackendGuards guards;

    /** Deadlines: the ordinary one, and a longer one for proposing (surrogates scoring millions of candidates). */
    @Inject
    BackendsConfig config;

    private MutinyPlanningServiceStub stub(Duration within) {
        return guards.bind(stub, within);
    }

    private <T> Uni<T> read(Uni<T> call) {
        return guards.of(Backend.PLANNING).read(call);
    }

    private <T> Uni<T> write(Uni<T> call) {
        return guards.of(Backend.PLANNING).write(call);
    }

    public Uni<Campaign> create(CreateCampaignRequest request) {
        return write(stub(config.proposeDeadline()).createCampaign(request));
    }

    public Uni<ListCampaignsResponse> list(ListCampaignsRequest request) {
        return read(stub(config.backendDeadline()).listCampaigns(request));
    }

    public Uni<Campaign> get(GetCampaignRequest request) {
        return read(stub(config.backendDeadline()).getCampaign(request));
    }

    public Uni<Campaign> status(UpdateCampaignStatusRequest request) {
        return write(stub(config.backendDeadline()).updateCampaignStatus(request));
    }

    public Uni<ProposeBatchResponse> propose(ProposeBatchRequest request) {
        return write(stub(config.proposeDeadline()).proposeBatch(request));
    }

    public Uni<ReportResultsResponse> report(ReportResultsRequest request) {
        return write(stub(config.backendDeadline()).reportResults(request));
    }

    public Uni<ListProposalsResponse> proposals(ListProposalsRequest request) {
        return read(stub(config.backendDeadline()).listProposals(request));
    }

    public Uni<Job> simulate(StartSimulationRequest request) {
        return write(stub(config.proposeDeadline()).startSimulation(request));
    }

    public Uni<Simulation> simulation(GetSimulationRequest request) {
        return read(stub(config.backendDeadline()).getSimulation(request));
    }

    public Uni<JobView> job(String id) {
        return read(stub(config.backendDeadline()).getJob(JobRef.newBuilder().setJobId(id).build()))
                .map(CommonMapper::job);
    }

    public Uni<JobView> cancel(String id) {
        return write(stub(config.backendDeadline()).cancelJob(JobRef.newBuilder().setJobId(id).build()))
                .map(CommonMapper::job);
    }
}
