package org.mihub.gateway.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.mihub.gateway.error.InvalidInput;

/** The gateway's own input check failed: 400, the field and the reason, as a backend's refusal reads. */
@Provider
public class InvalidInputMapper implements ExceptionMapper<InvalidInput> {

    @Override
    public Response toResponse(InvalidInput exception) {
        Problem problem = new Problem("about:blank", "Bad Request", 400, exception.getMessage(),
                List.of(new Problem.FieldError(exception.field(), exception.reason())), null, null, null, null);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
