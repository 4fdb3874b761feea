package org.mihub.common.identity;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.AuthenticationException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.mutiny.CompositeException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses credentials before anyone reads them, and refuses them in the caller's protocol.
 *
 * <p>A filter that runs before authentication (after CORS) checks the Authorization headers with
 * {@link Credentials}: quarkus-oidc reads only the first header and takes a header that is not
 * {@code Bearer} for no token at all, so without this check {@code Basic ...} or a second header
 * would pass as anonymous, and an empty bearer token would fail inside token parsing (a 500).
 *
 * <p>gRPC clients get gRPC answers: a refused or malformed credential on a gRPC call ends with
 * {@code grpc-status: 16} (UNAUTHENTICATED) and a message, in a trailers-only response, instead of
 * the plain HTTP 401 that gRPC clients report as a transport error. A REST request with malformed
 * credentials is a 401 problem saying why (the gateway's own problem handler answers first, in its
 * API's formats). A valid token whose issuer may not assert its organisation ({@link IssuerTrustAugmentor})
 * is refused the same ways, with the message naming issuer and organisation ({@link #statedReason}).
 */
@ApplicationScoped
public class CredentialsCheck {

    /** Filter priority: after CORS (300), before authentication (200). Higher runs first. */
    static final int PRIORITY = 250;

    /** The gRPC status code UNAUTHENTICATED. */
    private static final String UNAUTHENTICATED = "16";

    void filter(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void failures(@Observes Router router) {
        // before every other failure handler, including Quarkus' authentication failure handler and the gRPC server's
        router.route().order(Integer.MIN_VALUE).failureHandler(this::refuseGrpc);
        // after the gateway's own problem handler (order -1), which answers in its API's formats
        router.route().order(0).failureHandler(this::refuseMalformed);
    }

    private void check(RoutingContext context) {
        var problem = Credentials.problem(context.request().headers().getAll("Authorization"));
        if (problem.isEmpty()) {
            context.next();
        } else if (isGrpc(context.request())) {
            unauthenticated(context.response(), problem.get());
        } else {
            context.fail(new MalformedCredentialsException(problem.get()));
        }
    }

    /** A gRPC call refused by authentication ends with UNAUTHENTICATED; everything else goes on. */
    private void refuseGrpc(RoutingContext context) {
        Throwable failure = rootCause(context.failure());
        boolean refused = failure instanceof AuthenticationException || failure instanceof UnauthorizedException;
        if (!refused || !isGrpc(context.request()) || context.response().headWritten()) {
            context.next();
            return;
        }
        unauthenticated(context.response(), statedReason(failure)
                .orElse(context.request().getHeader("Authorization") == null ? "a valid access token is required"
                        : Credentials.TOKEN_NOT_VALID));
    }

    /**
     * A REST request with malformed credentials, or a valid token whose issuer may not assert its
     * organisation, that no handler answered yet: 401 with a problem body saying why.
     */
    private void refuseMalformed(RoutingContext context) {
        var reason = statedReason(context.failure());
        if (reason.isEmpty() || context.response().headWritten()) {
            context.next();
            return;
        }
        boolean malformed = rootCause(context.failure()) instanceof MalformedCredentialsException;
        context.response().setStatusCode(401).putHeader("Content-Type", "application/problem+json")
                .putHeader("WWW-Authenticate", "Bearer realm=\"mihub\", error=\""
                        + (malformed ? "invalid_request" : "invalid_token") + "\"")
                .end(new JsonObject().put("type", "about:blank").put("title", "Unauthorized").put("status", 401)
                        .put("detail", reason.get()).encode());
    }

    /**
     * What a refusal may tell the caller: the form of a malformed header ({@link MalformedCredentialsException}),
     * or which issuer may not assert which organisation ({@link UntrustedIssuerException}); empty for any
     * other failure (a token that did not verify is never explained: that would help a forger).
     */
    public static Optional<String> statedReason(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof MalformedCredentialsException || cause instanceof UntrustedIssuerException) {
                return Optional.of(cause.getMessage());
            }
            if (cause instanceof CompositeException composite) {
                return composite.getCauses().stream().map(CredentialsCheck::statedReason).flatMap(Optional::stream)
                        .findFirst();
            }
        }
        return Optional.empty();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof CompositeException)
                && cause.getCause() != null) {
            cause = cause instanceof CompositeException composite ? composite.getCauses().get(0) : cause.getCause();
        }
        return cause;
    }

    /** gRPC over HTTP/2: the request's content type names it. */
    static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return request.version() == HttpVersion.HTTP_2 && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/grpc");
    }

    /** A trailers-only gRPC response: HTTP 200 with the status in the headers, and no message. */
    private static void unauthenticated(HttpServerResponse response, String message) {
        response.headers().clear();
        response.setStatusCode(200).putHeader("content-type", "application/grpc")
                .putHeader("grpc-status", UNAUTHENTICATED).putHeader("grpc-message", percentEncoded(message)).end();
    }

    /** gRPC's message encoding: UTF-8, with '%' and every byte outside printable ASCII as %XX. */
    static String percentEncoded(String message) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : message.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
