package org.mihub.common.identity;

/**
 * A valid token whose issuer may not assert the organisation it names ({@link IssuerTrust}); the
 * message names both, and is what the caller is told (REST 401 problem, gRPC UNAUTHENTICATED). It is
 * the cause of the {@code AuthenticationFailedException} that ends authentication (that class is final),
 * so every handler of a refused token treats it as one; {@link CredentialsCheck#statedReason} finds it.
 */
public class UntrustedIssuerException extends SecurityException {

    private static final long serialVersionUID = 1L;

    public UntrustedIssuerException(String reason) {
        super(reason);
    }
}
