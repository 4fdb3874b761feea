/**
 * Who is calling: the {@link org.mihub.common.identity.Caller} {subject, org, roles} built from the
 * OIDC-validated token, the one server interceptor that puts it in the gRPC context, the client
 * interceptor that relays the caller's own token downstream, the cache of tokens already verified, and the
 * trust of several token issuers ({@code IssuerTrust}: which organisations each OIDC tenant, chosen by the
 * token's {@code iss}, may assert; decided once per request by {@code IssuerTrustAugmentor}).
 * It is bound to Quarkus OIDC, security and gRPC by design; it must not depend on any service module,
 * and domain code sees the caller only as a {@code Caller}.
 */
package org.mihub.common.identity;
