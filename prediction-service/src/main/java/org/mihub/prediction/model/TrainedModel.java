package org.mihub.prediction.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * What a prediction needs, as stored in the registry: the featuriser it was trained with, the
 * forest and the applicability domain. The artifact is a versioned binary format, DEFLATE-compressed;
 * nothing is deserialised by reflection.
 */
public record TrainedModel(String featuriser, String featuriserVersion, int featureCount, RandomForest forest,
        ApplicabilityDomain domain) {

    private static final int MAGIC = 0x4d485246; // "MHRF"
    private static final int FORMAT = 1;

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(featuriser);
            out.writeUTF(featuriserVersion);
            out.writeInt(featureCount);
            forest.write(out);
            domain.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static TrainedModel fromBytes(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(artifact)))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IllegalStateException("not a mihub random-forest artifact of format " + FORMAT);
            }
            return new TrainedModel(in.readUTF(), in.readUTF(), in.readInt(), RandomForest.read(in),
                    ApplicabilityDomain.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
