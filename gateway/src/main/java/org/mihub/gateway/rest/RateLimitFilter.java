package org.mihub.gateway.rest;

import java.time.Duration;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import org.mihub.common.identity.CallerFactory;
import org.mihub.common.identity.TraceAttributes;
import org.mihub.gateway.config.LimitsConfig;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Per-organisation request limits on the API: each organisation may make
 * {@code mihub.gateway.rate-limit.requests} requests per {@code mihub.gateway.rate-limit.period}
 * (anonymous callers share one allowance); one more is refused with 429, a problem+json body and
 * {@code Retry-After} in whole seconds until the allowance renews. The counting is
 * resilience4j's rate limiter, one per organisation. Each refusal is counted per organisation
 * ({@code mihub_gateway_rate_limited_total}); each counted request's span carries the organisation.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
// scoped, so the instance (and its config) is made at the first request, from the runtime configuration, rather
// than when Quarkus REST sets up its filters at static init
@ApplicationScoped
public class RateLimitFilter implements ContainerRequestFilter {

    private static final String ANONYMOUS = "anonymous";

    @Inject
    SecurityIdentity identity;

    @Inject
    LimitsConfig limits;

    @Inject
    MeterRegistry metrics;

    private RateLimiterRegistry limiters;

    @PostConstruct
    void start() {
        limiters = RateLimiterRegistry.of(RateLimiterConfig.custom().limitForPeriod(limits.rateLimit().requests())
                .limitRefreshPeriod(limits.rateLimit().period()).timeoutDuration(Duration.ZERO).build());
        refusals(ANONYMOUS); // the one allowance every gateway has, its series at 0 from the start
    }

    private Counter refusals(String org) {
        return Counter.builder("mihub.gateway.rate.limited").tag("org", org)
                .description("requests refused with 429, by the organisation whose allowance ran out")
                .register(metrics);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") && !path.startsWith("/optimade")) {
            return;
        }
        String org = CallerFactory.fromIdentity(identity).map(caller -> caller.org()).orElse(ANONYMOUS);
        if (!org.equals(ANONYMOUS)) {
            TraceAttributes.organisation(org); // the request's trace names the organisation it is counted against
        }
        RateLimiter limiter = limiters.rateLimiter(org);
        if (limiter.acquirePermission()) {
            return;
        }
        long nanos = limiter instanceof AtomicRateLimiter atomic ? atomic.getDetailedMetrics().getNanosToWait()
                : limits.rateLimit().period().toNanos();
        long seconds = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        // what an operator watches: which organisation is turned away, as mihub_gateway_rate_limited_total{org}
        refusals(org).increment();
        String who = org.equals(ANONYMOUS) ? "anonymous callers" : "organisation " + org;
        request.abortWith(Response.status(429).type(Problem.MEDIA_TYPE).header("Retry-After", seconds)
                .entity(Problem.of(429, "Too Many Requests", who + " made more than " + limits.rateLimit().requests()
                        + " requests in " + limits.rateLimit().period().toMillis() + " ms; retry after " + seconds
                        + " s"))
                .build());
    }
}
