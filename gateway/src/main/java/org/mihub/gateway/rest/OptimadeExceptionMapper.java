package org.mihub.gateway.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** OPTIMADE refusals as JSON:API error documents, with the {@code meta} every OPTIMADE response carries. */
@Provider
public class OptimadeExceptionMapper implements ExceptionMapper<OptimadeException> {

    @Inject
    OptimadeMeta meta;

    @Context
    UriInfo uri;

    @Override
    public Response toResponse(OptimadeException exception) {
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        ObjectNode error = document.putArray("errors").addObject()
                .put("status", Integer.toString(exception.status()))
                .put("title", exception.status() == OptimadeException.VERSION_NOT_SUPPORTED ? "Version Not Supported"
                        : BackendFailureMapper.title(exception.status()))
                .put("detail", exception.getMessage());
        if (exception.parameter() != null) {
            error.putObject("source").put("parameter", exception.parameter());
        }
        document.set("meta", meta.of(uri, false, null, null, java.util.List.of()));
        var response = Response.status(exception.status()).type(OptimadeMeta.MEDIA_TYPE).entity(document);
        exception.headers().forEach(response::header);
        return response.build();
    }
}
