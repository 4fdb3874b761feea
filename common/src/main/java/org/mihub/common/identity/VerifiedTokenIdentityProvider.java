package org.mihub.common.identity;

import java.security.Principal;
import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.mihub.common.config.TokenCacheConfig;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Bearer tokens already verified by this service skip the verification ({@link VerifiedTokens}).
 * Two parts around quarkus-oidc, which does the verifying: this identity provider runs before
 * OIDC's and answers from the cache or passes (a null identity hands the request on); the
 * {@link Recorder} augmentor sees every identity OIDC built and remembers its token. An identity
 * from the cache is a copy bound to the current request, and only for a request quarkus-oidc resolved to
 * the tenant (issuer) that verified it; {@link IssuerTrustAugmentor} checks it again like any identity.
 * Switched off with
 * {@code mihub.auth.token-cache.enabled=false}.
 */
@ApplicationScoped
public class VerifiedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Marks identities that came from the cache, so they are not remembered again. */
    static final String FROM_CACHE = "mihub.verified-token-cache";

    private final VerifiedTokens tokens;
    private final boolean enabled;

    @Inject
    public VerifiedTokenIdentityProvider(TokenCacheConfig config) {
        this.enabled = config.enabled();
        this.tokens = new VerifiedTokens(config.maxSize(), config.ttl(), Clock.systemUTC());
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * Before quarkus-oidc's provider, which has the default priority (1001; higher runs first, and
     * {@code SYSTEM_FIRST}, 1000, would run after it).
     */
    static final int PRIORITY = 2000;

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request,
            AuthenticationRequestContext context) {
        if (!enabled || request.getToken() == null || request.getToken().getToken() == null) {
            return Uni.createFrom().nullItem();
        }
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        return Uni.createFrom().item(tokens.find(request.getToken().getToken())
                .filter(cached -> sameTenant(cached, routing))
                .map(cached -> boundTo(cached, routing))
                .orElse(null));
    }

    /**
     * Whether the cached identity was verified by the tenant quarkus-oidc chose for this request (by the
     * token's issuer): a token counts as verified only for the issuer that verified it. The same bytes
     * carry the same {@code iss}, so this holds unless the tenants change; then the token is verified again.
     */
    static boolean sameTenant(SecurityIdentity cached, RoutingContext routing) {
        Object requested = routing == null ? null : routing.get(IssuerTrustAugmentor.TENANT_ID_ATTRIBUTE);
        return requested == null || requested.equals(IssuerTrustAugmentor.tenantOf(cached));
    }

    /** The cached identity for this request: its own routing context, marked as from the cache. */
    private static SecurityIdentity boundTo(SecurityIdentity cached, RoutingContext routing) {
        var copy = QuarkusSecurityIdentity.builder(cached).addAttribute(FROM_CACHE, Boolean.TRUE);
        if (routing != null) {
            copy.addAttribute(RoutingContext.class.getName(), routing);
        }
        return copy.build();
    }

    VerifiedTokens tokens() {
        return tokens;
    }

    boolean enabled() {
        return enabled;
    }

    /** Remembers each bearer token quarkus-oidc has just verified, with the identity it built. */
    @ApplicationScoped
    public static class Recorder implements SecurityIdentityAugmentor {

        @Inject
        VerifiedTokenIdentityProvider provider;

        /** After every other augmentor, so the identity remembered is the complete one. */
        @Override
        public int priority() {
            return Integer.MIN_VALUE;
        }

        @Override
        public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
            return augment(identity, context, Map.of());
        }

        @Override
        public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
                Map<String, Object> attributes) {
            if (provider.enabled() && !identity.isAnonymous() && identity.getAttribute(FROM_CACHE) == null) {
                Principal principal = identity.getPrincipal();
                AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
                if (principal instanceof JsonWebToken jwt && credential != null && credential.getToken() != null
                        && jwt.getExpirationTime() > 0) {
                    // kept without the request it was verified in (the cache must not hold requests alive)
                    SecurityIdentity detached = QuarkusSecurityIdentity.builder(identity)
                            .addAttribute(RoutingContext.class.getName(), null).build();
                    provider.tokens().remember(credential.getToken(), detached, jwt.getExpirationTime());
                }
            }
            return Uni.createFrom().item(identity);
        }
    }
}
