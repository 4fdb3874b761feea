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
 * format 2 tags the regressor with its algorithm; format 3 adds the boosted trees' loss; format 4 ends
 * with each tree node's training cover (for {@link TreeShap}), after everything the older formats
 * held. All are read; a tree model read from a format before 4 predicts as before but cannot be
 * explained.
 */
public record TrainedModel(String featuriser, String featuriserVersion, int featureCount, Regressor regressor,
        ApplicabilityDomain domain) {

    private static final int MAGIC = 0x4d485246; // "MHRF"
    private static final int FORMAT = 4;

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
            FlatTrees trees = regressor instanceof TreeBacked backed ? backed.flatTrees() : null;
            out.writeBoolean(trees != null && trees.hasCover());
            if (trees != null && trees.hasCover()) {
                trees.writeCovers(out);
            }
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
            Regressor regressor = algorithm.read(in, format);
            ApplicabilityDomain domain = ApplicabilityDomain.read(in);
            if (format >= 4 && in.readBoolean()) {
                if (!(regressor instanceof TreeBacked backed)) {
                    throw new IllegalStateException("the artifact holds tree covers for a " + algorithm);
                }
                backed.flatTrees().readCovers(in);
            }
            return new TrainedModel(featuriser, version, featureCount, regressor, domain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
