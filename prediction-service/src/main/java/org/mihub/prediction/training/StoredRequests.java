package org.mihub.prediction.training;

/**
 * The request of a job as it is stored (the caller's message, its seed fixed) read back into a
 * {@link TrainingRequest}, for a process that takes the job up again: the gRPC layer's mapping, so
 * that a resumed job is read exactly as its first attempt was.
 */
public interface StoredRequests {

    /** The training request {@code stored} holds; it was valid when the job was submitted. */
    TrainingRequest read(byte[] stored);
}
