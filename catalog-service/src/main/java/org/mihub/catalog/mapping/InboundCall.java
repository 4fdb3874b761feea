package org.mihub.catalog.mapping;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.grpc.Context;

/**
 * The inbound side of a client-streaming call whose messages are read on demand: {@link #request()}
 * asks gRPC for one more message (the stub's automatic requests are switched off for the call, see
 * {@code grpc/IngestFlowControl}), and {@link #closed} tells the reader that the call ended, for
 * whatever reason, so that it stops waiting. Created per call by the interceptor and found in the
 * call's {@link Context} under {@link #KEY}.
 */
public final class InboundCall {

    /** Where the interceptor leaves the call's handle for the service method. */
    public static final Context.Key<InboundCall> KEY = Context.key("mihub-inbound-call");

    private final Runnable request;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile String closed;

    /** @param request asks gRPC for one more message of the call (any thread) */
    public InboundCall(Runnable request) {
        this.request = request;
    }

    /** A call without flow control (gRPC delivers every message as it arrives): no interceptor ran. */
    static InboundCall unmanaged() {
        return new InboundCall(() -> {
        });
    }

    /** Asks for one more message. */
    public void request() {
        request.run();
    }

    /** The call ended (closed by the server, cancelled by the client, connection lost): why, in words. */
    public void closed(String why) {
        if (closed == null) {
            closed = why;
            listeners.forEach(listener -> listener.accept(why));
        }
    }

    /** Why the call ended, or null while it is open. */
    public String closedBecause() {
        return closed;
    }

    /** Runs {@code listener} when the call ends (at once if it has). */
    void onClose(Consumer<String> listener) {
        listeners.add(listener);
        String why = closed;
        if (why != null) {
            listener.accept(why);
        }
    }
}
