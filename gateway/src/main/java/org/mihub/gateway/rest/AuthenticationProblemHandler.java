package org.mihub.gateway.rest;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.mihub.common.identity.Credentials;
import org.mihub.common.identity.CredentialsCheck;
import org.mihub.common.identity.MalformedCredentialsException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A request whose token is missing or not valid (bad signature, wrong issuer or audience, expired,
 * not yet valid, unsigned), or whose issuer may not assert its organisation (common's {@code IssuerTrust}),
 * gets 401 with a problem+json body and the RFC 6750 challenge. Bearer
 * tokens are checked before the REST layer runs, so this is a failure handler on the HTTP router.
 * OPTIMADE paths get a JSON:API error document instead. The body says what to do, never why the
 * token failed: that would help whoever forged it.
 */
@ApplicationScoped
public class AuthenticationProblemHandler {

    @Inject
    OptimadeMeta optimade;

    void register(@Observes Router router) {
        router.route().order(-1).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        Throwable failure = context.failure();
        boolean unauthenticated = failure instanceof AuthenticationFailedException
                || failure instanceof MalformedCredentialsException || CredentialsCheck.statedReason(failure).isPresent()
                || failure instanceof AuthenticationCompletionException || failure instanceof UnauthorizedException;
        if (!unauthenticated || context.response().headWritten()) {
            context.next();
            return;
        }
        boolean presented = context.request().getHeader("Authorization") != null;
        // a malformed header says what is wrong with its form (nothing about any token's content), a valid
        // token whose issuer may not assert its organisation says which issuer and organisation
        String detail = CredentialsCheck.statedReason(failure).orElse(detail(presented));
        if (context.request().path().startsWith("/optimade/")) {
            ObjectNode document = JsonNodeFactory.instance.objectNode();
            document.putArray("errors").addObject().put("status", "401").put("title", "Unauthorized")
                    .put("detail", detail);
            document.set("meta", optimade.of(context.request().path(), context.request().query(), false, null, null,
                    List.of()));
            context.response().setStatusCode(401).putHeader("Content-Type", OptimadeMeta.MEDIA_TYPE)
                    .putHeader("WWW-Authenticate", challenge(presented)).end(document.toString());
            return;
        }
        context.response().setStatusCode(401)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", challenge(presented))
                .end(new JsonObject().put("type", "about:blank").put("title", "Unauthorized").put("status", 401)
                        .put("detail", detail).encode());
    }

    /** What a 401 says: to present a token, or that the one presented is not valid. */
    static String detail(boolean tokenPresented) {
        return tokenPresented ? Credentials.TOKEN_NOT_VALID
                : "an access token is required (Authorization: Bearer <token>)";
    }

    /** The RFC 6750 challenge. */
    static String challenge(boolean tokenPresented) {
        return tokenPresented ? "Bearer realm=\"mihub\", error=\"invalid_token\"" : "Bearer realm=\"mihub\"";
    }
}
