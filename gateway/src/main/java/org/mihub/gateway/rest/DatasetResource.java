package org.mihub.gateway.rest;

import java.io.InputStream;
import java.net.URI;
import java.util.Iterator;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.client.BackendFailure;
import org.mihub.gateway.client.CatalogClient;
import org.mihub.gateway.client.FederatedSearch;
import org.mihub.gateway.error.InvalidInput;
import org.mihub.gateway.view.DatasetViews.DatasetInput;
import org.mihub.gateway.view.DatasetViews.DatasetPage;
import org.mihub.gateway.view.DatasetViews.DatasetView;
import org.mihub.gateway.view.DatasetViews.DeletionView;
import org.mihub.gateway.view.DatasetViews.IngestResultView;
import org.mihub.gateway.view.DatasetViews.PropertyInput;
import org.mihub.gateway.view.DatasetViews.PropertyPatch;
import org.mihub.gateway.view.DatasetViews.PropertyView;
import org.mihub.gateway.view.DatasetViews.RecordUpload;
import org.mihub.gateway.view.DatasetViews.SharingInput;

import io.quarkus.security.Authenticated;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Datasets, their sharing and their records, through the catalog over gRPC with the caller's own
 * token. Reads are open to anonymous callers, who see PUBLIC data only; the catalog decides.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "datasets", description = "Datasets, their sharing and embargo, record uploads and exports")
public class DatasetResource {

    @Inject
    CatalogClient catalog;

    @Inject
    FederatedSearch federated;

    @POST
    @Path("/datasets")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(operationId = "createDataset", summary = "Create an empty dataset (role contributor in the owner organisation)",
            description = "Private unless a visibility is given.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "consortium dataset", value = ApiExamples.CREATE_DATASET)))
    @APIResponse(responseCode = "201", description = "The dataset as created; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DatasetView.class)))
    public Uni<Response> create(DatasetInput input) {
        return catalog.create(input).map(view -> deprecatedIf(input != null && input.oldSpelling(),
                Response.created(URI.create("/api/v1/datasets/" + view.id())).entity(view)));
    }

    @GET
    @Path("/datasets")
    @PermitAll
    @Operation(operationId = "listDatasets", summary = "Datasets the caller may see, newest first (cursor paging)")
    public Uni<DatasetPage> list(@QueryParam("owner") String owner, @QueryParam("visibility") String visibility,
            @QueryParam("text") String text, @QueryParam("limit") @DefaultValue("50")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "50")) String limit,
            @QueryParam("cursor") String cursor,
            @Parameter(description = "local (default): this installation's datasets; federation: the dataset cards "
                    + "of the federation directory at the hub that the caller may read (in cards, not datasets; "
                    + "visibility cannot be given then)", schema = @Schema(type = SchemaType.STRING,
                    enumeration = {"local", "federation"}, defaultValue = "local")) @QueryParam("scope") String scope) {
        if (QueryParams.federation(scope)) {
            if (visibility != null && !visibility.isBlank()) {
                throw new InvalidInput("visibility", "cannot be given with scope=federation");
            }
            return federated.cards(owner, text, QueryParams.limit(limit, 50), cursor);
        }
        return catalog.list(owner, visibility, text, QueryParams.limit(limit, 50), cursor);
    }

    @GET
    @Path("/datasets/{id}")
    @PermitAll
    @Operation(operationId = "getDataset", summary = "One dataset; 404 when it does not exist or is hidden from the caller")
    public Uni<DatasetView> get(@PathParam("id") String id) {
        return catalog.get(id);
    }

    @PUT
    @Path("/datasets/{id}/sharing")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(operationId = "updateSharing", summary = "Replace visibility, shared-with organisations and embargo (role curator in the owner org)",
            description = "An embargo lifts the visibility to liftsTo at its date.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "shared with an embargo", value = ApiExamples.SHARING)))
    @APIResponse(responseCode = "200", description = "The dataset as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DatasetView.class)))
    public Uni<Response> share(@PathParam("id") String id, SharingInput input) {
        return catalog.updateSharing(id, input)
                .map(view -> deprecatedIf(input != null && input.oldSpelling(), Response.ok(view)));
    }

    /** The answer, marked {@code Deprecation: true} when the request spelled a visibility the old way (PRIVATE). */
    private static Response deprecatedIf(boolean oldSpelling, Response.ResponseBuilder response) {
        if (oldSpelling) {
            response.header("Deprecation", "true");
        }
        return response.build();
    }

    @DELETE
    @Path("/datasets/{id}")
    @Authenticated
    @Operation(operationId = "deleteDataset", summary = "Soft-delete a dataset (role curator in the owner organisation); audited")
    public Uni<DeletionView> delete(@PathParam("id") String id, @QueryParam("reason") String reason) {
        return catalog.delete(id, reason);
    }

    @POST
    @Path("/datasets/{id}/records")
    @Consumes({"text/csv", MediaType.APPLICATION_JSON, "application/x-ndjson"})
    @Authenticated
    @Operation(operationId = "uploadRecords", summary = "Append a document as a new dataset version (role contributor in the owner org)",
            description = "text/csv with columns formula (required), sample_id, tags, method, instrument, source, "
                    + "'<property> [unit]', '<property>_uncertainty', 'condition.<name> [unit]', "
                    + "'step<N>.<kind>.<parameter> [unit]'; or application/json (an array of material objects) or "
                    + "application/x-ndjson (one object per line). mode=strict (default): a document with any bad row "
                    + "writes nothing; the problem+json answer lists every rejected row with its column or field path "
                    + "and reason. mode=skip-invalid: the valid rows are written and the answer lists every skipped "
                    + "row (skipped, rowsSkipped). dryRun=true validates everything, writes nothing and answers the "
                    + "same report with the properties and units the document uses. A categorical, boolean or text "
                    + "property's column has no unit: 'is_metal', 'crystal_system'.")
    @RequestBody(required = true, content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING), examples = @ExampleObject(
                    name = "CSV with units, a condition and a process step", value = ApiExamples.RECORDS_CSV)),
            @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.ARRAY,
                    description = "material objects: formula, sampleKey, tags, measurements, processSteps..."),
                    examples = @ExampleObject(name = "JSON array",
                    value = ApiExamples.RECORDS_JSON)),
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.OBJECT,
                    description = "one material object per line"), examples = @ExampleObject(name = "one material per line",
                    value = ApiExamples.RECORDS_NDJSON)) })
    public IngestResultView ingest(@PathParam("id") String id, @HeaderParam("Content-Type") String contentType,
            @Parameter(description = "Makes a retried upload of the same content a no-op")
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @QueryParam("dryRun") @DefaultValue("false")
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String dryRun,
            @Parameter(description = "strict (default: any bad row writes nothing) or skip-invalid (the valid rows "
                    + "are written, every skipped row is listed with its row, column and reason)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"strict", "skip-invalid"},
                            defaultValue = "strict"))
            @QueryParam("mode") @DefaultValue("strict") String mode,
            @QueryParam("sourceName") String sourceName, InputStream body) {
        boolean skipInvalid = switch (mode) {
            case "strict" -> false;
            case "skip-invalid" -> true;
            default -> throw new InvalidInput("mode", "'" + mode + "' is not strict or skip-invalid");
        };
        var upload = new RecordUpload(id, contentType, idempotencyKey, QueryParams.flag("dryRun", dryRun), sourceName,
                skipInvalid);
        return catalog.ingest(upload, body).await().indefinitely(); // bounded by the call's deadline
    }

    @GET
    @Path("/datasets/{id}/export")
    @Produces({"text/csv", "application/jsonl"})
    @PermitAll
    @Blocking
    @APIResponse(responseCode = "200", description = "The dataset, streamed", content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/jsonl", schema = @Schema(type = SchemaType.STRING)) })
    @Operation(operationId = "exportDataset", summary = "Stream a whole dataset as CSV (the ingest layout, canonical units) or JSON Lines",
            description = "format=csv (default) or jsonl; version= exports the dataset as it was at that version; "
                    + "property= (repeatable or comma-separated) keeps only measurements of those properties and "
                    + "source= only those from experiment, simulation or prediction; with either, materials left "
                    + "without a measurement are not exported")
    public Response export(@PathParam("id") String id, @QueryParam("format") @DefaultValue("csv")
            @Parameter(schema = @Schema(type = SchemaType.STRING, enumeration = {"csv", "jsonl"}, defaultValue = "csv"))
            String format,
            @QueryParam("version") Integer version, @QueryParam("property") java.util.List<String> properties,
            @QueryParam("source") java.util.List<String> sources) {
        boolean jsonl = switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> false;
            case "jsonl" -> true;
            default -> throw new InvalidInput("format", "'" + format + "' is not csv or jsonl");
        };
        Iterator<byte[]> chunks = catalog.export(id, jsonl, version, QueryParams.split(properties),
                QueryParams.split(sources)).subscribe().asIterable().iterator();
        // the first chunk (or the refusal: 404, 400...) arrives before the response is committed
        boolean any = chunks.hasNext();
        StreamingOutput body = out -> {
            if (any) {
                while (chunks.hasNext()) {
                    out.write(chunks.next());
                }
            }
        };
        return Response.ok(body).type(jsonl ? "application/jsonl" : "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + id + (jsonl ? ".jsonl" : ".csv") + "\"")
                .build();
    }

    @GET
    @Path("/properties")
    @PermitAll
    @Tag(name = "properties", description = "The property vocabulary")
    @Operation(operationId = "listProperties", summary = "The property vocabulary: names, canonical units, quantity kinds")
    public Uni<java.util.List<PropertyView>> properties(@QueryParam("text") String text) {
        return catalog.properties(text);
    }

    @GET
    @Path("/properties/{name}")
    @PermitAll
    @Tag(name = "properties")
    @Operation(operationId = "getProperty",
            summary = "One property of the vocabulary; 404 with close matches when it has none of that name")
    public Uni<PropertyView> property(@PathParam("name") String name) {
        return catalog.property(name);
    }

    @POST
    @Path("/properties")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Tag(name = "properties")
    @APIResponse(responseCode = "201", description = "The property, added",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PropertyView.class)))
    @APIResponse(responseCode = "200", description = "The identical property the vocabulary had",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PropertyView.class)))
    @APIResponse(responseCode = "409", description = "The name exists with another type or unit: the problem, and the "
            + "existing definition in existing", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    schema = @Schema(implementation = PropertyConflict.class)))
    @Operation(operationId = "createProperty",
            summary = "Add a property to the vocabulary (role curator in any member organisation, or admin)",
            description = "valueType numeric (default: canonicalUnit in UCUM and quantityKind required, minimum and "
                    + "maximum optional), categorical (labels), boolean or text. 201 when added; 200 with the existing "
                    + "definition when the vocabulary has it with the same type and unit; 409 with the existing "
                    + "definition (member existing) when it has it with another; 400 naming an unknown unit and the "
                    + "closest UCUM symbols.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PropertyInput.class),
            examples = @ExampleObject(name = "a transition temperature", value = ApiExamples.CREATE_PROPERTY)))
    public Uni<Response> createProperty(PropertyInput input) {
        return catalog.createProperty(input).map(created -> (created.created()
                ? Response.created(URI.create("/api/v1/properties/" + created.property().name()))
                : Response.ok()).entity(created.property()).build())
                .onFailure(failure -> failure instanceof BackendFailure backend
                        && backend.kind() == BackendFailure.Kind.CONFLICT && input != null && input.name() != null)
                .recoverWithUni(failure -> catalog.property(input.name()).map(existing -> conflict(failure, existing))
                        // refused for another reason than a name taken (a node adds no property: the hub does)
                        .onFailure(missing -> missing instanceof BackendFailure backend
                                && backend.kind() == BackendFailure.Kind.NOT_FOUND)
                        .recoverWithItem(() -> conflict(failure, null)));
    }

    private static Response conflict(Throwable failure, PropertyView existing) {
        return Response.status(409).type(Problem.MEDIA_TYPE).entity(new PropertyConflict("about:blank", "Conflict",
                409, ((BackendFailure) failure).description(), existing)).build();
    }

    /** The 409 of a name taken with another type or unit: the problem and the definition the vocabulary has. */
    public record PropertyConflict(String type, String title, int status, String detail, PropertyView existing) {
    }

    @PATCH
    @Path("/properties/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Tag(name = "properties")
    @Operation(operationId = "updateProperty",
            summary = "Change a property's display names, description or labels (added only), or deprecate it "
            + "(role curator in any member organisation, or admin)",
            description = "Value type, unit, quantity kind and range never change: 400 naming the field. "
                    + "\"deprecated\": true (with deprecationReason) deprecates; a property is never deleted.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PropertyPatch.class),
            examples = @ExampleObject(name = "a label added", value = ApiExamples.PATCH_PROPERTY)))
    public Uni<PropertyView> updateProperty(@PathParam("name") String name, PropertyPatch patch) {
        return catalog.updateProperty(name, patch);
    }
}
