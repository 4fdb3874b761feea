package org.mihub.gateway.rest;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The REST layer's own security refusals as problems: no token where one is required (401 with
 * the challenge), or a role the endpoint requires (403).
 */
public class SecurityProblemMapper {

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized(HttpHeaders headers) {
        boolean presented = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        return Response.status(401).type(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", AuthenticationProblemHandler.challenge(presented))
                .entity(Problem.of(401, "Unauthorized", AuthenticationProblemHandler.detail(presented))).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException exception) {
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(403, "Forbidden", "your roles do not allow this request")).build();
    }
}
