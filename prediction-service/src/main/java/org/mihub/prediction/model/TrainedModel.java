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
 * regressor and the applicability domain. The artifact is a versioned binary format,
 * DEFLATE-compressed; nothing is deserialised by reflection. Format 1 held a random forest only;
 * format 2 tags the regressor with its algorithm; format 3 adds the boosted trees' loss. All are read.
 */
public record TrainedModel(String featuriser, String featuriserVersion, int featureCount, Regressor regressor,
        ApplicabilityDomain domain) {

    private static final int MAGIC = 0x4d485246; // "MHRF"
    private static final int FORMAT = 3;

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(featuriser);
            out.writeUTF(featuriserVersion);
            out.writeInt(featureCount);
            out.writeByte(regressor.params().algorithm().tag);
            regressor.write(out);
            domain.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static TrainedModel fromBytes(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(artifact)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalStateException("not a mihub model artifact");
            }
            int format = in.readInt();
            if (format < 1 || format > FORMAT) {
                throw new IllegalStateException("model artifact format " + format + " is newer than this service");
            }
            String featuriser = in.readUTF();
            String version = in.readUTF();
            int featureCount = in.readInt();
            ModelParams.Algorithm algorithm = format == 1 ? ModelParams.Algorithm.RANDOM_FOREST
                    : ModelParams.Algorithm.ofTag(in.readByte());
            return new TrainedModel(featuriser, version, featureCount, algorithm.read(in, format), ApplicabilityDomain.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
