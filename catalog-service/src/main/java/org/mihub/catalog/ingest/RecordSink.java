package org.mihub.catalog.ingest;

/** Receives each valid material or each problem of an ingested document, in document order. */
public interface RecordSink {

    void accept(MaterialRecord material);

    void reject(Rejection rejection);
}
