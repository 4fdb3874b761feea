package org.mihub.catalog.mapping;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.mihub.catalog.ingest.UploadInterruptedException;
import org.mihub.catalog.ingest.UploadInterruptedException.Reason;

import io.grpc.Context;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The messages of a client stream for a blocking reader, one at a time: the next message is asked
 * of gRPC only when the reader wants it, so the client is held back by HTTP/2 flow control and no
 * more than one message is ever waiting here. Every wait ends: with the message, with the end of
 * the stream, or with an {@link UploadInterruptedException} when the call is closed or cancelled
 * (seen through {@link InboundCall} and through the gRPC {@link Context} of the call) or when no
 * message came for the idle timeout.
 */
final class ClientStream<T> {

    private static final Object END = new Object();
    private static final Object WAKE = new Object();

    private record Failure(Throwable error) {
    }

    private final InboundCall call;
    private final Context context;
    private final Duration idleTimeout;
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final Cancellable upstream;
    private boolean requested;
    private boolean ended;

    /** Subscribes to {@code messages} at once; call on the gRPC thread, where {@code Context.current()} is the call's. */
    ClientStream(Multi<T> messages, InboundCall call, Duration idleTimeout) {
        this.call = call;
        this.idleTimeout = idleTimeout;
        this.context = Context.current();
        this.upstream = messages.subscribe().with(arrived::add, error -> arrived.add(new Failure(error)),
                () -> arrived.add(END));
        call.onClose(why -> arrived.add(WAKE));
        context.addListener(cancelled -> arrived.add(WAKE), Runnable::run);
    }

    /** The next message, or null at the end of the stream. */
    @SuppressWarnings("unchecked")
    T next() throws UploadInterruptedException {
        if (ended) {
            return null;
        }
        if (!requested) {
            requested = true;
            call.request();
        }
        long deadline = System.nanoTime() + idleTimeout.toNanos();
        while (true) {
            failIfClosed();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new UploadInterruptedException(Reason.IDLE, "no message arrived for " + seconds(idleTimeout)
                        + " (mihub.catalog.ingest.idle-timeout)");
            }
            Object item;
            try {
                item = arrived.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UploadInterruptedException(Reason.CLOSED, "interrupted while waiting for the next message");
            }
            if (item == null || item == WAKE) {
                continue;
            }
            if (item == END) {
                ended = true;
                return null;
            }
            if (item instanceof Failure failure) {
                throw new UploadInterruptedException(Reason.CLOSED, "the call ended before the upload did: "
                        + failure.error().getMessage());
            }
            requested = false;
            return (T) item;
        }
    }

    private void failIfClosed() throws UploadInterruptedException {
        String why = call.closedBecause();
        if (why == null && context.isCancelled()) {
            why = context.cancellationCause() == null ? "the call was cancelled"
                    : "the call was cancelled: " + context.cancellationCause().getMessage();
        }
        if (why != null) {
            throw new UploadInterruptedException(Reason.CLOSED, "the call ended before the upload did (" + why + ")");
        }
    }

    /** Stops the subscription to the call's messages (the ingest is over, whichever way it ended). */
    void cancel() {
        upstream.cancel();
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
