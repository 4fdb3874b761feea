package org.mihub.common.identity;

import java.util.Optional;
import java.util.stream.StreamSupport;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.mihub.common.config.IssuerTrustConfig;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * The one place that decides whether a validated token's issuer may assert its organisation
 * ({@link IssuerTrust}, configured by {@code mihub.auth.trust."<tenant>"}). It runs on every identity
 * quarkus-oidc verified and on every identity the verified-token cache answers with (augmentors run
 * after any identity provider), on REST and on gRPC alike (gRPC is served on the HTTP port), before
 * any service code; a refused token ends authentication (an {@code AuthenticationFailedException} caused
 * by an {@link UntrustedIssuerException}), which
 * {@link CredentialsCheck} (and the gateway's problem handler) turn into a REST 401 problem or a gRPC
 * UNAUTHENTICATED with the message. It runs before {@link VerifiedTokenIdentityProvider.Recorder}, so
 * a refused token is never remembered as verified.
 *
 * <p>The tenant is the one quarkus-oidc verified the token with (the identity's {@code tenant-id}
 * attribute), chosen by the token's {@code iss} ({@code quarkus.oidc.resolve-tenants-with-issuer}).
 */
@ApplicationScoped
public class IssuerTrustAugmentor implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(IssuerTrustAugmentor.class);

    /** The identity attribute in which quarkus-oidc names the tenant that verified the token. */
    static final String TENANT_ID_ATTRIBUTE = "tenant-id";

    @Inject
    IssuerTrustConfig config;

    private IssuerTrust trust;

    @PostConstruct
    void init() {
        trust = new IssuerTrust(config.tenants());
    }

    /** A trust entry for a tenant this service has no OIDC configuration for is a typo: the start stops. */
    void checkTenants(@Observes StartupEvent start) {
        var names = StreamSupport.stream(ConfigProvider.getConfig().getPropertyNames().spliterator(), false).toList();
        for (String tenant : trust.tenants()) {
            if (tenant.equals(IssuerTrust.DEFAULT_TENANT)) {
                continue;
            }
            boolean configured = names.stream().anyMatch(name -> name.startsWith("quarkus.oidc." + tenant + ".")
                    || name.startsWith("quarkus.oidc.\"" + tenant + "\"."));
            if (!configured) {
                throw new IllegalStateException("mihub.auth.trust." + tenant + " names an OIDC tenant that is not "
                        + "configured: set quarkus.oidc." + tenant + ".auth-server-url (or remove the entry)");
            }
        }
    }

    /** After the other augmentors (their roles and claims count), before the cache's recorder (the lowest). */
    @Override
    public int priority() {
        return Integer.MIN_VALUE + 1;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        Optional<String> refusal = refusal(identity);
        if (refusal.isPresent()) {
            LOG.debugf("token refused: %s", refusal.get());
            return Uni.createFrom().failure(new AuthenticationFailedException(refusal.get(),
                    new UntrustedIssuerException(refusal.get())));
        }
        return Uni.createFrom().item(withoutForeignAdmin(identity));
    }

    /**
     * {@code admin} counts only from the node's own (default) tenant: the hub's administrators, whose
     * role comes from the consortium realm, are no administrators inside another institution's node.
     * Every other role passes (writing and curating need the owner organisation, which another tenant
     * cannot assert for this node's own organisation).
     */
    static SecurityIdentity withoutForeignAdmin(SecurityIdentity identity) {
        if (identity.isAnonymous() || tenantOf(identity).equals(IssuerTrust.DEFAULT_TENANT)
                || !identity.getRoles().contains(Caller.ADMIN)) {
            return identity;
        }
        QuarkusSecurityIdentity.Builder reduced = QuarkusSecurityIdentity.builder().setPrincipal(identity.getPrincipal())
                .addCredentials(identity.getCredentials()).addAttributes(identity.getAttributes())
                .addPermissionChecker(identity::checkPermission);
        identity.getRoles().stream().filter(role -> !role.equals(Caller.ADMIN)).forEach(reduced::addRole);
        return reduced.build();
    }

    /** Why this identity's token may not name its organisation; empty for anonymous or organisation-less identities. */
    Optional<String> refusal(SecurityIdentity identity) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Optional.empty();
        }
        String org = CallerFactory.organisation(jwt);
        if (org.isEmpty()) {
            return Optional.empty(); // no Caller at all (refused or anonymous as before)
        }
        return trust.refusal(tenantOf(identity), String.valueOf(jwt.getIssuer()), org);
    }

    /** The tenant that verified the identity's token ({@code Default} when quarkus-oidc did not say). */
    static String tenantOf(SecurityIdentity identity) {
        Object tenant = identity.getAttribute(TENANT_ID_ATTRIBUTE);
        return tenant == null ? IssuerTrust.DEFAULT_TENANT : tenant.toString();
    }
}
