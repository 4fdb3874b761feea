package org.mihub.common.identity;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;

/**
 * What the suite adds to the spans of a request: the caller's organisation, as {@code mihub.org}.
 * Never the token or the user's name: traces go to an operator's collector, which is not the
 * place for credentials or personal data.
 */
public final class TraceAttributes {

    /** The caller's organisation (the token's {@code org} claim). */
    public static final AttributeKey<String> ORG = AttributeKey.stringKey("mihub.org");

    private TraceAttributes() {
    }

    /** Tags the current span (a no-op when tracing is off). */
    public static void organisation(String org) {
        Span.current().setAttribute(ORG, org);
    }
}
