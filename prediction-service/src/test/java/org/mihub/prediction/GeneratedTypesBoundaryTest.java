package org.mihub.prediction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Generated protobuf and gRPC types stop at the edges: only {@code grpc} (the inbound adapter),
 * {@code mapping} (proto to domain for it) and {@code client} (the catalog) may name them. The
 * service's own sources are read as text, comments left out, so an import, a fully qualified name or
 * a static import in any other package fails this test with the file and the name.
 */
class GeneratedTypesBoundaryTest {

    private static final Path SOURCES = Path.of("src/main/java/org/mihub/prediction");
    private static final Set<String> EDGES = Set.of("grpc", "mapping", "client");
    /** Generated messages and stubs, protobuf's runtime, gRPC's and Quarkus's gRPC client. */
    private static final Pattern GENERATED = Pattern.compile(
            "\\b(org\\.mihub\\.api\\.|com\\.google\\.protobuf\\.|com\\.google\\.rpc\\.|io\\.grpc\\.|io\\.quarkus\\.grpc\\.)[\\w.]*");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** The generated names that {@code source} uses outside comments. */
    static List<String> generatedNames(String source) {
        List<String> found = new ArrayList<>();
        Matcher matcher = GENERATED.matcher(COMMENT.matcher(source).replaceAll(" "));
        while (matcher.find()) {
            found.add(matcher.group());
        }
        return found;
    }

    @Test
    void domainPackagesNameNoGeneratedType() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() > 1 && EDGES.contains(relative.getName(0).toString())) {
                    continue;
                }
                scanned++;
                generatedNames(Files.readString(file)).forEach(name -> violations.add(relative + ": " + name));
            }
        }
        // the walk found the domain packages (a wrong path would pass with nothing scanned)
        assertTrue(scanned > 30, "only " + scanned + " domain sources found under " + SOURCES.toAbsolutePath());
        assertTrue(Files.exists(SOURCES.resolve("training/TrainingService.java")));
        assertTrue(Files.exists(SOURCES.resolve("registry/LineageAccess.java")));
        assertEquals(List.of(), violations, "generated types outside grpc/, mapping/ and client/");
    }

    @Test
    void theScanFindsImportsAndQualifiedNamesButNotComments() {
        String source = """
                package org.mihub.prediction.training;

                import org.mihub.api.catalog.v1.MeasurementSource;
                import static io.grpc.Status.NOT_FOUND;
                // io.grpc.StatusRuntimeException in a comment is fine
                /** So is {@link com.google.protobuf.Timestamp}. */
                class X {
                    Object y = com.google.protobuf.Timestamp.getDefaultInstance();
                    @io.quarkus.grpc.GrpcClient("catalog") Object stub;
                }
                """;
        assertEquals(List.of("org.mihub.api.catalog.v1.MeasurementSource", "io.grpc.Status.NOT_FOUND",
                "com.google.protobuf.Timestamp.getDefaultInstance", "io.quarkus.grpc.GrpcClient"),
                generatedNames(source));
        assertEquals(List.of(), generatedNames("import org.mihub.common.access.Sharing;"));
    }
}
