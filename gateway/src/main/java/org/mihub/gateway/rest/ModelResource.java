package org.mihub.gateway.rest;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.client.PredictionClient;
import org.mihub.gateway.view.ModelViews.ArchiveInput;
import org.mihub.gateway.view.ModelViews.JobView;
import org.mihub.gateway.view.ModelViews.ModelPage;
import org.mihub.gateway.view.ModelViews.ModelView;
import org.mihub.gateway.view.ModelViews.OutOfFoldPage;
import org.mihub.gateway.view.ModelViews.PredictInput;
import org.mihub.gateway.view.ModelViews.PredictionPage;
import org.mihub.gateway.view.ModelViews.TrainInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Property models and predictions, through the prediction service over gRPC with the caller's own
 * token: training jobs (202 and a job to follow), the registry, out-of-fold predictions for parity
 * and calibration plots, and predictions with uncertainty and an applicability-domain flag.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "Property models: training jobs, the registry, cross-validation and predictions "
        + "with uncertainty")
public class ModelResource {

    @Inject
    PredictionClient prediction;

    @POST
    @Path("/models")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(operationId = "trainModel", summary = "Train a model on catalog datasets you may see (role contributor); 202 with a job",
            description = "Follow GET /api/v1/jobs/{id}; its resultId is the model.")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "random forest on one dataset", value = ApiExamples.TRAIN)))
    @APIResponse(responseCode = "202", description = "The training job; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    public Uni<Response> train(TrainInput input) {
        return prediction.train(input)
                .map(job -> Response.accepted(job).location(URI.create("/api/v1/jobs/" + job.id())).build());
    }

    @GET
    @Path("/models")
    @PermitAll
    @Operation(operationId = "listModels", summary = "Models you may see, newest first (filters: name, target, owner, status, latest)")
    public Uni<ModelPage> list(@QueryParam("name") String name, @QueryParam("target") String target,
            @QueryParam("owner") String owner, @QueryParam("status") String status,
            @QueryParam("latest") @DefaultValue("false")
            @Parameter(schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) String latest,
            @QueryParam("limit") @DefaultValue("50")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "50")) String limit, @QueryParam("cursor") String cursor) {
        return prediction.list(name, target, owner, status, QueryParams.flag("latest", latest),
                QueryParams.limit(limit, 50), cursor);
    }

    @GET
    @Path("/models/{id}")
    @PermitAll
    @Operation(operationId = "getModel", summary = "A model with its cross-validation metrics, lineage and parameters; 404 when hidden")
    public Uni<ModelView> get(@PathParam("id") String id) {
        return prediction.get(id);
    }

    @GET
    @Path("/models/{id}/out-of-fold")
    @PermitAll
    @Operation(operationId = "listOutOfFold", summary = "Out-of-fold predictions of the cross-validation (observed, mean, std), for parity and "
            + "calibration plots")
    public Uni<OutOfFoldPage> outOfFold(@PathParam("id") String id,
            @QueryParam("limit") @DefaultValue("1000")
            @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1000")) String limit, @QueryParam("cursor") String cursor) {
        return prediction.outOfFold(id, QueryParams.limit(limit, 1000), cursor);
    }

    @POST
    @Path("/models/{id}/archive")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(operationId = "archiveModel", summary = "Archive a model (role curator in its owner organisation); it stays readable")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "archive", value = ApiExamples.ARCHIVE)))
    public Uni<ModelView> archive(@PathParam("id") String id, ArchiveInput input) {
        return prediction.archive(id, input == null ? "" : input.reason());
    }

    @POST
    @Path("/models/{id}/predict")
    @Consumes(MediaType.APPLICATION_JSON)
    @PermitAll
    @Operation(operationId = "predict", summary = "Predict compositions: mean, std, 68 % and 95 % intervals and the applicability domain",
            description = "Formulas, or inputs with an id and element amounts ({\"inputs\": [{\"id\": \"s1\", "
                    + "\"amounts\": {\"Fe\": 2, \"O\": 3}}]}). A bad formula is reported for its item (code, position, "
                    + "reason); the others are predicted. With explain=true each prediction of a tree model also "
                    + "carries its explanation: the exact TreeSHAP contribution of each feature (with its plain "
                    + "name) and the expected value they add to, and the contributions summed per element property "
                    + "and per statistic (at most 100 inputs; a model that cannot be explained is 409).")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            examples = @ExampleObject(name = "formulas", value = ApiExamples.PREDICT)))
    public Uni<PredictionPage> predict(@PathParam("id") String id, PredictInput input,
            @Parameter(description = "true: explain each prediction (tree models)") @QueryParam("explain")
            String explain) {
        return prediction.predict(id, input, QueryParams.flag("explain", explain));
    }
}
