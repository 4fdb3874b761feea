package org.mihub.catalog.ingest;

/** Receives each valid material or each problem of an ingested document, in document order. */
public interface RecordSink {

    void accept(MaterialRecord material);

    void reject(Rejection rejection);

    /** Something let pass in a valid row (a zero amount left out of its formula), before the row is accepted. */
    default void warn(Rejection warning) {
    }

    /**
     * The sample key of a row, before the row is accepted or rejected, so that keys the document
     * repeats are found (by the database, see {@code MaterialWriter}: readers keep no per-document state).
     *
     * @param column   the key's column or field
     * @param rejected whether the row has other problems
     */
    void key(long row, long line, String column, String key, boolean rejected);
}
