package org.mihub.gateway.rest;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Every refusal the REST layer makes itself (no such path, method not allowed, unsupported media
 * type, a role check...) as a problem+json body that says what was wrong with the request.
 */
@Provider
public class WebProblemMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    UriInfo uri;

    @Context
    Request request;

    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response original = exception.getResponse();
        if (original.getEntity() instanceof Problem) {
            return original;
        }
        if (exception.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException json) {
            return JsonProblemMapper.toResponse(json);
        }
        int status = original.getStatus();
        var reason = Response.Status.fromStatusCode(status);
        String title = reason == null ? "HTTP " + status : reason.getReasonPhrase();
        var response = Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, detail(exception, status)));
        if (exception instanceof NotAllowedException) {
            original.getHeaders().getOrDefault("Allow", java.util.List.of())
                    .forEach(allowed -> response.header("Allow", allowed));
        }
        return response.build();
    }

    private String detail(WebApplicationException exception, int status) {
        String path = "/" + uri.getPath().replaceFirst("^/", "");
        if (exception instanceof NotAllowedException) {
            return "method " + request.getMethod() + " is not allowed on " + path;
        }
        if (exception instanceof NotSupportedException) {
            var media = headers.getMediaType();
            return "Content-Type " + (media == null ? "(none)" : media.getType() + "/" + media.getSubtype())
                    + " is not accepted by " + request.getMethod() + " " + path;
        }
        String message = exception.getMessage();
        boolean framework = message == null || message.isBlank() || message.startsWith("HTTP " + status)
                || message.startsWith("Unable to find matching");
        if (!framework) {
            return message;
        }
        return switch (status) {
            case 404 -> "no resource at " + path;
            case 406 -> "no representation of " + path + " matches the Accept header";
            default -> "the request to " + path + " was refused";
        };
    }
}
