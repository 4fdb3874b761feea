package org.mihub.gateway.rest;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.mihub.gateway.client.BackendUnavailableException;

/** A backend whose circuit breaker is open: 503 with a problem body and {@code Retry-After}, at once. */
@Provider
public class BackendUnavailableMapper implements ExceptionMapper<BackendUnavailableException> {

    @Override
    public Response toResponse(BackendUnavailableException exception) {
        return Response.status(503).type(Problem.MEDIA_TYPE)
                .header("Retry-After", exception.retryAfterSeconds())
                .entity(Problem.of(503, "Service Unavailable", "the " + exception.backend().clientName()
                        + " service is unavailable; retry after " + exception.retryAfterSeconds() + " s"))
                .build();
    }
}
