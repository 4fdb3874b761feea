package org.mihub.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.client.FederationClient;
import org.mihub.gateway.config.FederationConfig;
import org.mihub.gateway.view.FederationViews.CardPage;
import org.mihub.gateway.view.FederationViews.NodeInput;
import org.mihub.gateway.view.FederationViews.NodeList;
import org.mihub.gateway.view.FederationViews.NodeView;
import org.mihub.gateway.view.FederationViews.ResyncView;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The federation directory at the hub's gateway (issue 24): the registered nodes and the dataset cards
 * they publish, from the hub's catalog over gRPC with the caller's token; the catalog decides who may do
 * what. At a gateway that is not the hub ({@code mihub.federation.hub} false) every path is 404, naming
 * the hub.
 */
@Path("/api/v1/federation")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "federation", description = "The hub's directory of nodes and their dataset cards (metadata only)")
public class FederationResource {

    static final String REGISTRATION = """
            {"organisations": ["acme"], "gatewayUrl": "http://127.0.0.1:8200",
             "optimadeUrl": "http://127.0.0.1:8200/optimade"}""";

    @Inject
    FederationClient federation;

    @Inject
    FederationConfig config;

    @GET
    @Path("/nodes")
    @Operation(operationId = "listFederationNodes", summary = "The registered nodes, by id (a caller with a data role)")
    @APIResponse(responseCode = "200", description = "Every registered node",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NodeList.class)))
    @APIResponse(responseCode = "404", description = "Not Found: this installation is not the federation hub")
    public Uni<NodeList> nodes() {
        requireHub();
        return federation.nodes();
    }

    @PUT
    @Path("/nodes/{node}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "registerFederationNode", summary = "Register a node or replace its registration "
            + "(admin, or the node's service account: role federation, client mihub-node-<node>)",
            description = "An organisation another node holds is 409.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = NodeInput.class),
            examples = @ExampleObject(name = "acme", value = REGISTRATION)))
    @APIResponse(responseCode = "200", description = "The node as registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = NodeView.class)))
    @APIResponse(responseCode = "404", description = "Not Found: this installation is not the federation hub")
    public Uni<NodeView> register(@PathParam("node") String node, NodeInput input) {
        requireHub();
        return federation.register(node, input);
    }

    @POST
    @Path("/nodes/{node}/resync")
    @Operation(operationId = "resyncFederationNode", summary = "Ask a node to publish all its cards again (admin)")
    @APIResponse(responseCode = "202", description = "The request as sent to the node",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ResyncView.class)))
    @APIResponse(responseCode = "404", description = "Not Found: an unknown node, or this installation is not the hub")
    public Uni<Response> resync(@PathParam("node") String node) {
        requireHub();
        return federation.resync(node).map(view -> Response.accepted(view).build());
    }

    @GET
    @Path("/cards")
    @Operation(operationId = "listFederationCards", summary = "Dataset cards the caller may read by each card's "
            + "own sharing, by node and dataset (cursor paging)")
    @APIResponse(responseCode = "200", description = "A page of cards",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CardPage.class)))
    @APIResponse(responseCode = "404", description = "Not Found: this installation is not the federation hub")
    public Uni<CardPage> cards(@QueryParam("node") String node, @QueryParam("owner") String owner,
            @QueryParam("q") String text, @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "50")) String limit) {
        requireHub();
        return federation.cards(node, owner, text, QueryParams.limit(limit, 50), cursor);
    }

    /** 404 problem at a gateway that is not the hub, naming the hub when it is known. */
    private void requireHub() {
        if (!config.hub()) {
            throw new NotFoundException("this installation is not the federation hub ("
                    + config.hubUrl().map(url -> "the hub is " + url).orElse("no hub is configured") + ")");
        }
    }
}
