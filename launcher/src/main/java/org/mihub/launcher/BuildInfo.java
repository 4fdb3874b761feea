package org.mihub.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What the Maven build wrote into {@code mihub-launcher.properties}: the project's version, the
 * PostgreSQL binaries' version and where the Keycloak distribution is.
 */
final class BuildInfo {

    private static final Properties BUILD = load();

    private BuildInfo() {
    }

    /** One property of the build; fails when the build did not write it. */
    static String property(String name) {
        String value = BUILD.getProperty(name);
        if (value == null || value.startsWith("${")) {
            throw new IllegalStateException(name + " is missing from mihub-launcher.properties: build the launcher "
                    + "with Maven first");
        }
        return value;
    }

    private static Properties load() {
        Properties build = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/mihub-launcher.properties")) {
            if (in == null) {
                throw new IllegalStateException("mihub-launcher.properties is missing: build the launcher with Maven");
            }
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return build;
    }
}
