package org.mihub.catalog.ingest;

import java.util.List;
import java.util.UUID;

import org.mihub.common.error.ApiException;

/** A document with at least one bad row: nothing was written; every problem (up to a limit) is listed. */
public class IngestRejectedException extends ApiException {

    private final UUID datasetId;
    private final long rowsReceived;
    private final long rowsRejected;
    private final List<Rejection> rejections;
    private final boolean truncated;

    public IngestRejectedException(UUID datasetId, long rowsReceived, long rowsRejected, List<Rejection> rejections,
            boolean truncated) {
        super(Kind.INVALID_ARGUMENT, summary(rowsRejected, rejections), List.of());
        this.datasetId = datasetId;
        this.rowsReceived = rowsReceived;
        this.rowsRejected = rowsRejected;
        this.rejections = List.copyOf(rejections);
        this.truncated = truncated;
    }

    private static String summary(long rowsRejected, List<Rejection> rejections) {
        Rejection first = rejections.get(0);
        String where = first.row() == 0 ? "the document" : "row " + first.row();
        return "nothing was written: " + (rowsRejected > 0 ? rowsRejected + " row(s) rejected; " : "") + "first: "
                + where + (first.column().isEmpty() ? "" : ", column '" + first.column() + "'") + ": " + first.reason();
    }

    public UUID datasetId() {
        return datasetId;
    }

    public long rowsReceived() {
        return rowsReceived;
    }

    public long rowsRejected() {
        return rowsRejected;
    }

    public List<Rejection> rejections() {
        return rejections;
    }

    public boolean truncated() {
        return truncated;
    }
}
