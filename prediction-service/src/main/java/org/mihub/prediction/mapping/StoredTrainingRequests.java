package org.mihub.prediction.mapping;

import jakarta.enterprise.context.ApplicationScoped;

import org.mihub.api.prediction.v1.TrainModelRequest;
import org.mihub.prediction.training.StoredRequests;
import org.mihub.prediction.training.TrainingRequest;

import com.google.protobuf.InvalidProtocolBufferException;

/** A stored {@code TrainModelRequest} read by the same mapping as when it arrived. */
@ApplicationScoped
public class StoredTrainingRequests implements StoredRequests {

    /** The message to store for {@code request}, with the seed the job uses written in. */
    public static byte[] stored(TrainModelRequest request, TrainingRequest parsed) {
        return request.toBuilder().setSeed(parsed.seed()).build().toByteArray();
    }

    @Override
    public TrainingRequest read(byte[] stored) {
        try {
            // the seed is set, so the default seed is never used
            return PredictionMapper.training(TrainModelRequest.parseFrom(stored), 0);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the stored request of a training job is not a TrainModelRequest", e);
        }
    }
}
