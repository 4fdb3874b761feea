package org.mihub.gateway.rest;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.mihub.gateway.config.LimitsConfig;

/**
 * Request bodies are capped at {@code mihub.gateway.max-request-bytes} (413 with a problem body),
 * except record uploads ({@code POST /api/v1/datasets/{id}/records}), which stream to the catalog
 * and are bounded only by {@code quarkus.http.limits.max-body-size}. The cap reads the declared
 * Content-Length; a chunked body without one is bounded by the server-wide limit alone.
 */
@Provider
@PreMatching
// scoped, so the instance (and its config) is made at the first request, from the runtime configuration, rather
// than when Quarkus REST sets up its filters at static init
@ApplicationScoped
@Priority(Priorities.HEADER_DECORATOR)
public class BodySizeFilter implements ContainerRequestFilter {

    @Inject
    LimitsConfig limits;

    @Override
    public void filter(ContainerRequestContext request) {
        long length = request.getLength();
        if (length <= limits.maxRequestBytes() || isUpload(request.getUriInfo().getPath())) {
            return;
        }
        request.abortWith(Response.status(413).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(413, "Content Too Large", "a request body of " + length + " bytes is over the "
                        + limits.maxRequestBytes() + "-byte limit of this endpoint; record files go to "
                        + "POST /api/v1/datasets/{id}/records, which streams them"))
                .build());
    }

    private static boolean isUpload(String path) {
        return path.startsWith("/api/v1/datasets/") && path.endsWith("/records");
    }
}
