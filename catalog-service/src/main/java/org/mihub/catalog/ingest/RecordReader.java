package org.mihub.catalog.ingest;

/** Reads an ingested document row by row, streaming, validating every value. */
public interface RecordReader {

    /** Reads every row into the sink; stops at the first problem with the document's syntax. */
    void read(RecordSink sink);

    /** Data rows read so far. */
    long rows();

    /** Whether reading stopped at a problem of the document's syntax, before its end (rows after it unread). */
    default boolean stopped() {
        return false;
    }
}
