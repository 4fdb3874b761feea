package org.mihub.catalog.ingest;

import java.io.IOException;

/**
 * The document stopped arriving before its end: the call was closed or cancelled (a message over the
 * size limit, a client that gave up, a lost connection), or the client sent nothing for longer than
 * the idle timeout. The ingest is abandoned and its transaction rolled back; the readers pass this
 * failure through instead of reporting it as a syntax error of the document.
 */
public class UploadInterruptedException extends IOException {

    /** Whether the client went quiet or the call ended. */
    public enum Reason {
        IDLE, CLOSED
    }

    private final Reason reason;

    public UploadInterruptedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
