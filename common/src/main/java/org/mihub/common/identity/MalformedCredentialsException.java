package org.mihub.common.identity;

import io.quarkus.security.AuthenticationException;

/** The request's Authorization header is not one the suite accepts ({@link Credentials}); the message says why. */
public class MalformedCredentialsException extends SecurityException implements AuthenticationException {

    private static final long serialVersionUID = 1L;

    public MalformedCredentialsException(String reason) {
        super(reason);
    }
}
