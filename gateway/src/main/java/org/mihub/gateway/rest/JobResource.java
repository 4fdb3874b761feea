package org.mihub.gateway.rest;

import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.mihub.gateway.client.BackendFailure;
import org.mihub.gateway.client.BackendFailure.Kind;
import org.mihub.gateway.client.PlanningClient;
import org.mihub.gateway.client.PredictionClient;
import org.mihub.gateway.view.ModelViews.JobView;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Jobs, whichever service runs them: training jobs in the prediction service, simulations in the
 * planning service. An id is asked of the prediction service first and, when it does not know it
 * (or cannot answer), of the planning service; a job the caller cannot see is 404 from both.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "jobs", description = "Training and simulation jobs, wherever they run")
public class JobResource {

    @Inject
    PredictionClient prediction;

    @Inject
    PlanningClient planning;

    @GET
    @Path("/{id}")
    @Authenticated
    @Operation(operationId = "getJob", summary = "A job (training or simulation): state, progress, message (the error when it failed) and "
            + "resultId when done")
    public Uni<JobView> job(@PathParam("id") String id) {
        return owned(prediction.job(id), () -> planning.job(id));
    }

    @DELETE
    @Path("/{id}")
    @Authenticated
    @Operation(operationId = "deleteJob", summary = "Cancel a queued or running job, a training or a simulation; it leaves no model or report "
            + "behind. 200 with the job; 404 for a job you cannot see")
    public Uni<JobView> delete(@PathParam("id") String id) {
        return cancel(id);
    }

    @POST
    @Path("/{id}/cancel")
    @Authenticated
    @Operation(operationId = "cancelJob", summary = "Cancel a queued or running job (the same as DELETE /api/v1/jobs/{id})")
    public Uni<JobView> cancel(@PathParam("id") String id) {
        return owned(prediction.cancel(id), () -> planning.cancel(id));
    }

    /**
     * The first service's answer, or the second's when the first does not know the job or cannot
     * answer; when both fail, the second's failure unless it only did not know the job (then the
     * first's: an unreachable first service may hold it).
     */
    static Uni<JobView> owned(Uni<JobView> first, Supplier<Uni<JobView>> second) {
        return first.onFailure(failure -> notFound(failure) || unreachable(failure)).recoverWithUni(firstFailure ->
                second.get().onFailure().transform(secondFailure -> notFound(secondFailure) ? firstFailure
                        : secondFailure));
    }

    private static boolean notFound(Throwable failure) {
        return failure instanceof BackendFailure backend && backend.kind() == Kind.NOT_FOUND;
    }

    /** Could not be reached, timed out, or its breaker is open. */
    private static boolean unreachable(Throwable failure) {
        return failure instanceof BackendFailure backend
                && (backend.kind() == Kind.UNAVAILABLE || backend.kind() == Kind.TIMEOUT);
    }
}
