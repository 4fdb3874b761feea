package org.mihub.gateway.rest;

import java.net.URI;

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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.client.PlanningClient;
import org.mihub.gateway.client.PlanningClient.Reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Experiment planning through the planning service over gRPC with the caller's own token:
 * campaigns, the ask/tell loop and digital-twin simulations. Bodies and answers are the planning
 * contract's messages (see api/.../planning.proto for every field) in the REST API's one JSON dialect
 * (camelCase fields, lower-case enum names, 64-bit integers as numbers). A body in the old raw protobuf
 * spelling (full enum names such as OBJECTIVE_DIRECTION_MAXIMISE, 64-bit integers as strings) is still
 * accepted until the next release, and its answer carries {@code Deprecation: true}.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "planning", description = "Campaigns, the ask/tell loop and digital-twin simulations (the planning "
        + "contract's messages in the REST dialect)")
public class CampaignResource {

    @Inject
    PlanningClient planning;

    @POST
    @Path("/campaigns")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createCampaign", summary = "Create a campaign (role member); 201 with the campaign",
            description = "Body: a CreateCampaignRequest (see the example). A bad spec is 400 naming every bad field. "
                    + "The answer holds the observations taken from spec.priorData (priorObservations).")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "CreateCampaignRequest"),
            examples = @ExampleObject(name = "composition and process parameter", value = ApiExamples.CREATE_CAMPAIGN)))
    @APIResponse(responseCode = "201", description = "The campaign as created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Campaign")))
    public Uni<Response> create(JsonNode body) {
        return planning.create(body).map(reply -> answer(Response.created(URI.create("/api/v1/campaigns/" + reply.id())),
                reply));
    }

    @GET
    @Path("/campaigns")
    @Operation(operationId = "listCampaigns", summary = "Campaigns you may see, newest first (filters: owner, status, text)")
    @APIResponse(responseCode = "200", description = "A page of campaigns (summary view) and the next page's cursor",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ListCampaignsResponse")))
    public Uni<ObjectNode> list(@QueryParam("owner") String owner, @QueryParam("status") String status,
            @QueryParam("text") String text,
            @QueryParam("limit") @DefaultValue("50") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", defaultValue = "50")) String limit,
            @QueryParam("cursor") String cursor) {
        return planning.list(owner, status, text, QueryParams.limit(limit, 50), cursor);
    }

    @GET
    @Path("/campaigns/{id}")
    @Operation(operationId = "getCampaign", summary = "A campaign with progress, best so far, Pareto front and "
            + "(view=full, the default) its history and prior observations; 404 when hidden")
    @APIResponse(responseCode = "200", description = "The campaign",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Campaign")))
    public Uni<ObjectNode> get(@PathParam("id") String id, @QueryParam("view") @DefaultValue("full") String view) {
        return planning.get(id, view);
    }

    @POST
    @Path("/campaigns/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateCampaignStatus",
            summary = "Pause, resume, complete or cancel a campaign (role member of its organisation)",
            description = "Body: the new status and a reason, recorded with the campaign.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "UpdateCampaignStatusRequest"), examples = @ExampleObject(name = "pause", value = ApiExamples.CAMPAIGN_STATUS)))
    @APIResponse(responseCode = "200", description = "The campaign with its new status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Campaign")))
    public Uni<Response> status(@PathParam("id") String id, JsonNode body) {
        return planning.status(id, body).map(reply -> answer(Response.ok(), reply));
    }

    @POST
    @Path("/campaigns/{id}/proposals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "proposeBatch", summary = "Ask: propose the next batch (role member of its organisation)",
            description = "A retry with the same requestId returns the same batch. Every proposal satisfies every "
                    + "constraint.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "ProposeBatchRequest"),
            examples = @ExampleObject(name = "ask for four", value = ApiExamples.PROPOSE)))
    @APIResponse(responseCode = "200", description = "The batch: its proposals and the surrogates' fits",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProposeBatchResponse")))
    public Uni<Response> propose(@PathParam("id") String id, JsonNode body) {
        return planning.propose(id, body).map(reply -> answer(Response.ok(), reply));
    }

    @GET
    @Path("/campaigns/{id}/recommendation")
    @Operation(operationId = "getRecommendation", summary = "The design the model believes best now (respecting "
            + "feasibility and outcome constraints), its predicted mean and 95 % interval, and a stop hint",
            description = "stopThreshold (objective unit, not negative): stop is true when the largest expected "
                    + "improvement left among the candidates is below it. 409 before the campaign has observations "
                    + "or for a multi-objective campaign; 404 when hidden.")
    @APIResponse(responseCode = "200", description = "The recommendation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Recommendation")))
    public Uni<ObjectNode> recommendation(@PathParam("id") String id, @QueryParam("stopThreshold")
            @Parameter(schema = @Schema(type = SchemaType.NUMBER, minimum = "0")) String stopThreshold) {
        Double threshold = QueryParams.number("stopThreshold", stopThreshold);
        if (threshold != null && threshold < 0) {
            throw new InvalidInput("stopThreshold", "must not be negative (got " + stopThreshold + ")");
        }
        return planning.recommendation(id, threshold);
    }

    @GET
    @Path("/campaigns/{id}/proposals")
    @Operation(operationId = "listProposals", summary = "A campaign's proposals, oldest first (filter: state)")
    @APIResponse(responseCode = "200", description = "A page of proposals and the next page's cursor",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ListProposalsResponse")))
    public Uni<ObjectNode> proposals(@PathParam("id") String id, @QueryParam("state") String state,
            @QueryParam("limit") @DefaultValue("50") @Parameter(schema = @Schema(type = SchemaType.INTEGER,
                    minimum = "1", defaultValue = "50")) String limit,
            @QueryParam("cursor") String cursor) {
        return planning.proposals(id, state, QueryParams.limit(limit, 50), cursor);
    }

    @POST
    @Path("/campaigns/{id}/results")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "reportResults", summary = "Tell: report results or failures per proposal; all or nothing",
            description = "Each item answers one proposal: measured values (any compatible unit) or a failure.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "ReportResultsRequest"),
            examples = @ExampleObject(name = "one result, one failure", value = ApiExamples.RESULTS)))
    @APIResponse(responseCode = "200", description = "One acknowledgement per result, the campaign's progress",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ReportResultsResponse")))
    public Uni<Response> results(@PathParam("id") String id, JsonNode body) {
        return planning.report(id, body).map(reply -> answer(Response.ok(), reply));
    }

    @POST
    @Path("/simulations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startSimulation", summary = "Start a digital-twin simulation (role member); 202 with its job",
            description = "Body: a StartSimulationRequest: a campaign strategy replayed against a pool of measured "
                    + "candidates (or a dataset, or models). Follow GET /api/v1/simulations/{id}.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(ref = "StartSimulationRequest"),
            examples = @ExampleObject(name = "pool of measured candidates", value = ApiExamples.SIMULATION)))
    @APIResponse(responseCode = "202", description = "The simulation's job (its id is the simulation's); Location "
            + "names the simulation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Job")))
    public Uni<Response> simulate(JsonNode body) {
        return planning.simulate(body).map(reply -> answer(Response.accepted()
                .location(URI.create("/api/v1/simulations/" + reply.id())), reply));
    }

    @GET
    @Path("/simulations/{id}")
    @Operation(operationId = "getSimulation",
            summary = "A simulation with its job and, once it succeeded, its report (runs=true: per-run traces)")
    @APIResponse(responseCode = "200", description = "The simulation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Simulation")))
    public Uni<ObjectNode> simulation(@PathParam("id") String id, @QueryParam("runs") @DefaultValue("false")
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String runs) {
        return planning.simulation(id, QueryParams.flag("runs", runs));
    }

    /** The answer's body, marked deprecated when the request used the old raw protobuf spelling. */
    private static Response answer(Response.ResponseBuilder response, Reply reply) {
        if (reply.oldSpelling()) {
            response.header("Deprecation", "true");
        }
        return response.type(MediaType.APPLICATION_JSON).entity(reply.body()).build();
    }
}
