package org.mihub.gateway.client;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.common.v1.Job;
import org.mihub.api.common.v1.JobRef;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.GetCampaignRequest;
import org.mihub.api.planning.v1.GetRecommendationRequest;
import org.mihub.api.planning.v1.GetSimulationRequest;
import org.mihub.api.planning.v1.ListCampaignsRequest;
import org.mihub.api.planning.v1.ListProposalsRequest;
import org.mihub.api.planning.v1.MutinyPlanningServiceGrpc.MutinyPlanningServiceStub;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;
import org.mihub.gateway.config.BackendsConfig;
import org.mihub.gateway.view.ModelViews.JobView;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;

/**
 * The planning service over gRPC, with the caller's token (relayed by mihub-common) and a deadline per call.
 * Campaigns and simulations go in and come out in the REST API's JSON dialect ({@link ProtoJson}), so
 * the planning contract's messages stop here; jobs ({@link #job}, {@link #cancel}) are still proto.
 */
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

    /** A planning answer in the REST dialect, its id (for a Location header) and whether the body used the old spelling. */
    public record Reply(String id, ObjectNode body, boolean oldSpelling) {
    }

    /** POST /api/v1/campaigns: a CreateCampaignRequest in the REST dialect; the campaign. */
    public Uni<Reply> create(JsonNode body) {
        var request = CreateCampaignRequest.newBuilder();
        boolean old = ProtoJson.merge(body, request);
        return write(stub(config.proposeDeadline()).createCampaign(request.build()))
                .map(campaign -> new Reply(campaign.getId(), ProtoJson.write(campaign), old));
    }

    /** Campaigns the caller may see; {@code status} is a campaign status (active, paused...) or blank for any. */
    public Uni<ObjectNode> list(String owner, String status, String text, int limit, String cursor) {
        var request = ListCampaignsRequest.newBuilder().setOwnerOrg(text(owner)).setText(text(text)).setPage(page(limit, cursor));
        if (status != null && !status.isBlank()) {
            request.setStatusValue(ProtoJson.enumValue(CampaignStatus.getDescriptor(), status, "status").getNumber());
        }
        return read(stub(config.backendDeadline()).listCampaigns(request.build())).map(ProtoJson::write);
    }

    /** One campaign; {@code view} is full or summary. */
    public Uni<ObjectNode> get(String id, String view) {
        var request = GetCampaignRequest.newBuilder().setId(id)
                .setViewValue(ProtoJson.enumValue(CampaignView.getDescriptor(), view, "view").getNumber());
        return read(stub(config.backendDeadline()).getCampaign(request.build())).map(ProtoJson::write);
    }

    /** A new status and its reason (an UpdateCampaignStatusRequest without the id, which is {@code id}). */
    public Uni<Reply> status(String id, JsonNode body) {
        var request = UpdateCampaignStatusRequest.newBuilder();
        boolean old = ProtoJson.merge(body, request);
        return write(stub(config.backendDeadline()).updateCampaignStatus(request.setId(id).build()))
                .map(campaign -> new Reply(campaign.getId(), ProtoJson.write(campaign), old));
    }

    /** Ask: a ProposeBatchRequest for campaign {@code id}; a missing body asks with the campaign's defaults. */
    public Uni<Reply> propose(String id, JsonNode body) {
        var request = ProposeBatchRequest.newBuilder();
        boolean old = body != null && !body.isNull() && ProtoJson.merge(body, request);
        return write(stub(config.proposeDeadline()).proposeBatch(request.setCampaignId(id).build()))
                .map(batch -> new Reply(id, ProtoJson.write(batch), old));
    }

    /** Tell: a ReportResultsRequest for campaign {@code id}. */
    public Uni<Reply> report(String id, JsonNode body) {
        var request = ReportResultsRequest.newBuilder();
        boolean old = ProtoJson.merge(body, request);
        return write(stub(config.backendDeadline()).reportResults(request.setCampaignId(id).build()))
                .map(reported -> new Reply(id, ProtoJson.write(reported), old));
    }

    /**
     * The design the campaign's model believes best now, with its predicted mean and 95 % interval; with a
     * {@code stopThreshold} (objective unit, not negative), whether the largest expected improvement left is below it.
     */
    public Uni<ObjectNode> recommendation(String id, Double stopThreshold) {
        var request = GetRecommendationRequest.newBuilder().setCampaignId(id);
        if (stopThreshold != null) {
            request.setStopThreshold(stopThreshold);
        }
        return read(stub(config.proposeDeadline()).getRecommendation(request.build())).map(ProtoJson::write);
    }

    /** A campaign's proposals, oldest first; {@code state} is a proposal state (pending, completed...) or blank for any. */
    public Uni<ObjectNode> proposals(String id, String state, int limit, String cursor) {
        var request = ListProposalsRequest.newBuilder().setCampaignId(id).setPage(page(limit, cursor));
        if (state != null && !state.isBlank()) {
            request.setStateValue(ProtoJson.enumValue(ProposalState.getDescriptor(), state, "state").getNumber());
        }
        return read(stub(config.backendDeadline()).listProposals(request.build())).map(ProtoJson::write);
    }

    /** POST /api/v1/simulations: a StartSimulationRequest in the REST dialect; the simulation's job (its id is the simulation's). */
    public Uni<Reply> simulate(JsonNode body) {
        var request = StartSimulationRequest.newBuilder();
        boolean old = ProtoJson.merge(body, request);
        return write(stub(config.proposeDeadline()).startSimulation(request.build()))
                .map(job -> new Reply(job.getId(), ProtoJson.write(job), old));
    }

    /** A simulation with its job and, once it succeeded, its report; {@code runs}: with every run's traces. */
    public Uni<ObjectNode> simulation(String id, boolean runs) {
        return read(stub(config.backendDeadline()).getSimulation(GetSimulationRequest.newBuilder().setId(id)
                .setIncludeRuns(runs).build())).map(ProtoJson::write);
    }

    private static PageRequest page(int limit, String cursor) {
        return PageRequest.newBuilder().setPageSize(limit).setPageToken(text(cursor)).build();
    }

    private static String text(String value) {
        return value == null ? "" : value;
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
