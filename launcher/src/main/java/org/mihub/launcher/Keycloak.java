package org.mihub.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A real Keycloak server (the keycloak-quarkus-dist zip, a pinned version resolved by the Maven
 * build) in dev mode on 127.0.0.1, with the mihub realm imported from dev/keycloak/mihub-realm.json.
 * Its data folder is kept in the state folder, so later starts are faster and keep changes.
 */
final class Keycloak {

    /** Demo-only bootstrap administrator of the master realm (127.0.0.1 only). */
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "admin";

    private Keycloak() {
    }

    static ManagedProcess start(StackConfig config) throws IOException {
        // the realm's redirect URIs name the gateway's default port 8080; a stack on other ports
        // (MIHUB_PORT, the tests' suite) gets them on its own gateway port, or the portal could not sign in
        String realm = Files.readString(config.home().resolve("dev/keycloak/mihub-realm.json"))
                .replace("//localhost:8080/", "//localhost:" + config.gatewayPort() + "/")
                .replace("//127.0.0.1:8080/", "//127.0.0.1:" + config.gatewayPort() + "/");
        return start(config, Map.of("mihub-realm.json", realm), StackConfig.REALM);
    }

    /**
     * Starts Keycloak on the config's Keycloak ports with exactly these realms (file name → realm
     * JSON); ready once {@code readyRealm} answers its discovery document.
     */
    static ManagedProcess start(StackConfig config, Map<String, String> realms, String readyRealm) throws IOException {
        Path distribution = unpack(config);
        // the realm files are the only source of truth: a dev database left from an earlier start would
        // keep an older realm (Keycloak skips importing a realm that exists), so it is started afresh
        Folders.deleteTree(distribution.resolve("data/h2"));
        Path imports = distribution.resolve("data/import");
        Folders.deleteTree(imports);
        Files.createDirectories(imports);
        for (Map.Entry<String, String> realm : realms.entrySet()) {
            Files.writeString(imports.resolve(realm.getKey()), realm.getValue());
        }
        List<String> command = List.of(distribution.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=" + StackConfig.HOST, "--http-port=" + config.keycloakPort(),
                "--http-management-port=" + config.keycloakManagementPort(), "--import-realm");
        Map<String, String> env = Map.of(
                "JAVA_HOME", javaHome().toString(),
                "KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER,
                "KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD,
                "JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
        return ManagedProcess.start(config, "keycloak", command, env, distribution,
                URI.create(config.issuer(readyRealm) + "/.well-known/openid-configuration"));
    }

    /** Unpacks the distribution once into the state folder. */
    private static Path unpack(StackConfig config) throws IOException {
        String version = BuildInfo.property("keycloak.version");
        Path target = config.stateDir().resolve("keycloak");
        Path distribution = target.resolve("keycloak-" + version);
        if (Files.isExecutable(distribution.resolve("bin/kc.sh"))) {
            return distribution;
        }
        Path zip = Path.of(BuildInfo.property("keycloak.zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Keycloak distribution not found at " + zip + ": run the Maven build first");
        }
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (Stream<Path> scripts = Files.list(distribution.resolve("bin"))) {
            scripts.filter(path -> path.toString().endsWith(".sh")).forEach(path -> path.toFile().setExecutable(true));
        }
        return distribution;
    }

    /**
     * A JDK Keycloak runs on: the newest of /usr/lib/jvm that is 21 or later (Keycloak's
     * recommendation), else the JDK running the launcher (17 works for this version).
     */
    static Path javaHome() {
        Path jvms = Path.of("/usr/lib/jvm");
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> dirs = Files.list(jvms)) {
                dirs.filter(dir -> Files.isExecutable(dir.resolve("bin/java")) && !Files.isSymbolicLink(dir))
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // fall back to the running JDK
            }
        }
        Optional<Path> modern = candidates.stream()
                .filter(dir -> featureVersion(dir) >= 21)
                .max(Comparator.comparingInt(Keycloak::featureVersion));
        return modern.orElse(Path.of(System.getProperty("java.home")));
    }

    private static int featureVersion(Path jdk) {
        try {
            Properties release = new Properties();
            try (InputStream in = Files.newInputStream(jdk.resolve("release"))) {
                release.load(in);
            }
            String version = release.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
            return Integer.parseInt(version.split("[.+-]")[0]);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
