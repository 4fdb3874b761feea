package org.mihub.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mihub.gateway.rest.DatasetResource;

/**
 * The gateway's layering, read from its compiled classes: every class name, descriptor and generic
 * signature a class uses is in its constant pool, so a type used only through {@code var} or a
 * lambda parameter is caught as well as an imported one.
 *
 * <ul>
 * <li>{@code rest} and {@code view} use no generated contract type ({@code org.mihub.api}), no
 * protobuf, no google.rpc and no gRPC type: transport stops at {@code client}.
 * <li>Each gateway package depends only on the packages below it: {@code rest} on {@code client},
 * {@code view}, {@code error}, {@code config}; {@code client} on {@code view}, {@code error},
 * {@code config}; {@code view}, {@code error} and {@code config} on no other gateway package. So
 * there is no cycle.
 * </ul>
 */
class LayeringTest {

    private static final Pattern TRANSPORT = Pattern.compile(
            "(org/mihub/api|com/google/protobuf|com/google/rpc|io/grpc)/[\\w/$]*");
    private static final Pattern GATEWAY_PACKAGE = Pattern.compile("org/mihub/gateway/(\\w+)/");

    /** The gateway packages each package may use, besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "rest", Set.of("client", "view", "error", "config"),
            "client", Set.of("view", "error", "config"),
            "view", Set.of(),
            "error", Set.of(),
            "config", Set.of());


    /** Every gateway class (internal name) with the strings of its constant pool. */
    private static final Map<String, List<String>> CLASSES = new TreeMap<>();

    @BeforeAll
    static void read() throws IOException, URISyntaxException {
        Path root = Path.of(DatasetResource.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path gateway = root.resolve("org/mihub/gateway");
        try (Stream<Path> files = Files.walk(gateway)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/').replaceAll("\\.class$", "");
                try (InputStream in = Files.newInputStream(file)) {
                    CLASSES.put(name, constantPoolStrings(in));
                }
            }
        }
    }

    @Test
    void theClassFilesAreRead() {
        assertTrue(CLASSES.containsKey("org/mihub/gateway/rest/DatasetResource"), CLASSES.keySet().toString());
        assertTrue(CLASSES.get("org/mihub/gateway/client/CatalogClient").stream()
                .anyMatch(text -> text.contains("org/mihub/api/catalog/v1/")), "the client does use the contract");
    }

    @Test
    void restAndViewUseNoTransportType() {
        List<String> found = new ArrayList<>();
        CLASSES.forEach((name, strings) -> {
            String pkg = packageOf(name);
            if ((pkg.equals("rest") || pkg.equals("view"))) {
                Set<String> types = new TreeSet<>();
                for (String text : strings) {
                    Matcher matcher = TRANSPORT.matcher(text);
                    while (matcher.find()) {
                        types.add(matcher.group());
                    }
                }
                if (!types.isEmpty()) {
                    found.add(name + " uses " + types);
                }
            }
        });
        assertEquals(List.of(), found);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        List<String> found = new ArrayList<>();
        CLASSES.forEach((name, strings) -> {
            String pkg = packageOf(name);
            Set<String> allowed = ALLOWED.get(pkg);
            if (allowed == null) {
                found.add(name + " is in a package the layering does not know: add it to ALLOWED");
                return;
            }
            Set<String> used = new TreeSet<>();
            for (String text : strings) {
                Matcher matcher = GATEWAY_PACKAGE.matcher(text);
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
            used.remove(pkg);
            used.removeAll(allowed);
            if (!used.isEmpty()) {
                found.add(name + " (" + pkg + ") uses " + used);
            }
        });
        assertEquals(List.of(), found);
    }

    @Test
    void theRuleSeesATransportTypeWhereThereIsOne() throws IOException {
        try (InputStream in = LayeringTest.class.getResourceAsStream("LayeringTest.class")) {
            List<String> own = constantPoolStrings(in);
            assertTrue(own.stream().anyMatch(text -> text.contains("org/mihub/gateway/rest/DatasetResource")));
        }
        assertFalse(TRANSPORT.matcher("org/mihub/gateway/view/DatasetViews").find());
        assertTrue(TRANSPORT.matcher("Lio/grpc/StatusRuntimeException;").find());
        assertTrue(TRANSPORT.matcher("(Lorg/mihub/api/catalog/v1/Material;)V").find());
    }

    private static String packageOf(String name) {
        String rest = name.substring("org/mihub/gateway/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "" : rest.substring(0, slash);
    }

    /** The UTF-8 entries of a class file's constant pool: names, descriptors, signatures, literals. */
    static List<String> constantPoolStrings(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        List<String> strings = new ArrayList<>();
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> strings.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipNBytes(2);
                case 15 -> in.skipNBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                case 5, 6 -> {
                    in.skipNBytes(8);
                    index++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        return strings;
    }
}
