package org.mihub.prediction.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * What a classifier's predictions need, as stored in the registry: the featuriser it was trained with,
 * its classes (labels, in the order of its probabilities), the classifier, the calibration of its
 * probabilities and the applicability domain. Like {@link TrainedModel}: a versioned binary format,
 * DEFLATE-compressed, written and read field by field (no reflection), with its own magic number so
 * that a regression artifact is never read as a classifier or the other way round.
 */
public record TrainedClassifier(String featuriser, String featuriserVersion, int featureCount, List<String> classes,
        Classifier classifier, Calibration calibration, ApplicabilityDomain domain) {

    private static final int MAGIC = 0x4d48434c; // "MHCL"
    private static final int FORMAT = 1;

    public TrainedClassifier {
        classes = List.copyOf(classes);
        if (classes.size() != classifier.classes()) {
            throw new IllegalArgumentException(classes.size() + " labels for a classifier of " + classifier.classes()
                    + " classes");
        }
    }

    /** Calibrated probabilities of each row ({@code out[i][c]}, c in {@link #classes} order). */
    public void probabilities(double[][] rows, double[][] out, int threads) {
        classifier.probabilities(rows, out, threads);
        for (int i = 0; i < rows.length; i++) {
            out[i] = calibration.apply(out[i]);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes))) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(featuriser);
            out.writeUTF(featuriserVersion);
            out.writeInt(featureCount);
            out.writeInt(classes.size());
            for (String label : classes) {
                out.writeUTF(label);
            }
            out.writeByte(classifier.params().algorithm().tag);
            classifier.write(out);
            calibration.write(out);
            domain.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Whether {@code artifact} holds a classifier (else it is a {@link TrainedModel}). */
    public static boolean isClassifier(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(artifact)))) {
            return in.readInt() == MAGIC;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainedClassifier fromBytes(byte[] artifact) {
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(new ByteArrayInputStream(artifact)))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalStateException("not a mihub classifier artifact");
            }
            int format = in.readInt();
            if (format < 1 || format > FORMAT) {
                throw new IllegalStateException("classifier artifact format " + format + " is newer than this service");
            }
            String featuriser = in.readUTF();
            String version = in.readUTF();
            int featureCount = in.readInt();
            int count = in.readInt();
            List<String> classes = new ArrayList<>(count);
            for (int c = 0; c < count; c++) {
                classes.add(in.readUTF());
            }
            Classifier classifier = ClassifierParams.Algorithm.ofTag(in.readByte()).read(in);
            Calibration calibration = Calibration.read(in);
            return new TrainedClassifier(featuriser, version, featureCount, classes, classifier, calibration,
                    ApplicabilityDomain.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
