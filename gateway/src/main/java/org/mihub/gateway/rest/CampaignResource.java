package org.mihub.gateway.rest;

import java.net.URI;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.api.planning.v1.CampaignStatus;
import org.mihub.api.planning.v1.CampaignView;
import org.mihub.api.planning.v1.CreateCampaignRequest;
import org.mihub.api.planning.v1.GetCampaignRequest;
import org.mihub.api.planning.v1.GetSimulationRequest;
import org.mihub.api.planning.v1.ListCampaignsRequest;
import org.mihub.api.planning.v1.ListProposalsRequest;
import org.mihub.api.planning.v1.ProposalState;
import org.mihub.api.planning.v1.ProposeBatchRequest;
import org.mihub.api.planning.v1.ReportResultsRequest;
import org.mihub.api.planning.v1.StartSimulationRequest;
import org.mihub.api.planning.v1.UpdateCampaignStatusRequest;
import org.mihub.gateway.client.PlanningClient;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.mapping.PlanningJson;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Experiment planning through the planning service over gRPC with the caller's own token:
 * campaigns, the ask/tell loop and digital-twin simulations. Bodies and answers are the protobuf
 * JSON mapping of the planning contract (see api/.../planning.proto for every field).
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "planning")
public class CampaignResource {

    @Inject
    PlanningClient planning;

    @POST
    @Path("/campaigns")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a campaign (role member); 201 with the campaign",
            description = "Body: a CreateCampaignRequest (see the example). A bad spec is 400 naming every bad field.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "composition and process parameter", value = ApiExamples.CREATE_CAMPAIGN)))
    public Uni<Response> create(String body) {
        var request = PlanningJson.parse(body, CreateCampaignRequest.newBuilder()).build();
        return planning.create(request).map(campaign -> Response.created(URI.create("/api/v1/campaigns/"
                + campaign.getId())).entity(PlanningJson.print(campaign)).build());
    }

    @GET
    @Path("/campaigns")
    @Operation(summary = "Campaigns you may see, newest first (filters: owner, status, text)")
    public Uni<String> list(@QueryParam("owner") String owner, @QueryParam("status") String status,
            @QueryParam("text") String text, @QueryParam("limit") @DefaultValue("50") String limit,
            @QueryParam("cursor") String cursor) {
        var request = ListCampaignsRequest.newBuilder().setOwnerOrg(text(owner)).setText(text(text))
                .setPage(PageRequest.newBuilder().setPageSize(QueryParams.integer("limit", limit, 50)).setPageToken(text(cursor)));
        if (status != null && !status.isBlank()) {
            request.setStatus(status(status));
        }
        return planning.list(request.build()).map(PlanningJson::print);
    }

    @GET
    @Path("/campaigns/{id}")
    @Operation(summary = "A campaign with progress, best so far, Pareto front and (view=full, the default) its "
            + "history; 404 when hidden")
    public Uni<String> get(@PathParam("id") String id, @QueryParam("view") @DefaultValue("full") String view) {
        CampaignView campaignView = switch (view.toLowerCase(Locale.ROOT)) {
            case "full" -> CampaignView.CAMPAIGN_VIEW_FULL;
            case "summary" -> CampaignView.CAMPAIGN_VIEW_SUMMARY;
            default -> throw new InvalidInput("view", "'" + view + "' is not full or summary");
        };
        return planning.get(GetCampaignRequest.newBuilder().setId(id).setView(campaignView).build())
                .map(PlanningJson::print);
    }

    @POST
    @Path("/campaigns/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Pause, resume, complete or cancel a campaign (role member of its organisation)",
            description = "Body: the new status and a reason, recorded with the campaign.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "pause", value = ApiExamples.CAMPAIGN_STATUS)))
    public Uni<String> status(@PathParam("id") String id, String body) {
        var request = PlanningJson.parse(body, UpdateCampaignStatusRequest.newBuilder()).setId(id).build();
        return planning.status(request).map(PlanningJson::print);
    }

    @POST
    @Path("/campaigns/{id}/proposals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Ask: propose the next batch (role member of its organisation)",
            description = "A retry with the same requestId returns the same batch. Every proposal satisfies every "
                    + "constraint.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "ask for four", value = ApiExamples.PROPOSE)))
    public Uni<String> propose(@PathParam("id") String id, String body) {
        var request = (body == null || body.isBlank() ? ProposeBatchRequest.newBuilder()
                : PlanningJson.parse(body, ProposeBatchRequest.newBuilder())).setCampaignId(id).build();
        return planning.propose(request).map(PlanningJson::print);
    }

    @GET
    @Path("/campaigns/{id}/proposals")
    @Operation(summary = "A campaign's proposals, oldest first (filter: state)")
    public Uni<String> proposals(@PathParam("id") String id, @QueryParam("state") String state,
            @QueryParam("limit") @DefaultValue("50") String limit, @QueryParam("cursor") String cursor) {
        var request = ListProposalsRequest.newBuilder().setCampaignId(id)
                .setPage(PageRequest.newBuilder().setPageSize(QueryParams.integer("limit", limit, 50)).setPageToken(text(cursor)));
        if (state != null && !state.isBlank()) {
            try {
                request.setState(ProposalState.valueOf("PROPOSAL_STATE_" + state.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("state", "'" + state + "' is not pending, completed, failed or cancelled");
            }
        }
        return planning.proposals(request.build()).map(PlanningJson::print);
    }

    @POST
    @Path("/campaigns/{id}/results")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Tell: report results or failures per proposal; all or nothing",
            description = "Each item answers one proposal: measured values (any compatible unit) or a failure.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "one result, one failure", value = ApiExamples.RESULTS)))
    public Uni<String> results(@PathParam("id") String id, String body) {
        var request = PlanningJson.parse(body, ReportResultsRequest.newBuilder()).setCampaignId(id).build();
        return planning.report(request).map(PlanningJson::print);
    }

    @POST
    @Path("/simulations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a digital-twin simulation (role member); 202 with its job",
            description = "Body: a StartSimulationRequest: a campaign strategy replayed against a pool of measured "
                    + "candidates (or a dataset, or models). Follow GET /api/v1/simulations/{id}.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "pool of measured candidates", value = ApiExamples.SIMULATION)))
    public Uni<Response> simulate(String body) {
        var request = PlanningJson.parse(body, StartSimulationRequest.newBuilder()).build();
        return planning.simulate(request).map(job -> Response.accepted(PlanningJson.print(job))
                .location(URI.create("/api/v1/simulations/" + job.getId())).build());
    }

    @GET
    @Path("/simulations/{id}")
    @Operation(summary = "A simulation with its job and, once it succeeded, its report (runs=true: per-run traces)")
    public Uni<String> simulation(@PathParam("id") String id, @QueryParam("runs") @DefaultValue("false") String runs) {
        return planning.simulation(GetSimulationRequest.newBuilder().setId(id)
                .setIncludeRuns(QueryParams.flag("runs", runs)).build())
                .map(PlanningJson::print);
    }

    private static CampaignStatus status(String status) {
        try {
            return CampaignStatus.valueOf("CAMPAIGN_STATUS_" + status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("status", "'" + status + "' is not active, paused, completed or cancelled");
        }
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
