package org.mihub.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a service module's own configuration says (src/main/resources/application.properties). */
record ServiceModules(Path root) {

    private static final Pattern GRPC_CLIENT_HOST = Pattern.compile("quarkus\\.grpc\\.clients\\.([A-Za-z0-9_-]+)\\.host");

    Path propertiesOf(String module) {
        return root.resolve(module).resolve("src/main/resources/application.properties");
    }

    boolean exists(String module) {
        return Files.isRegularFile(propertiesOf(module));
    }

    Properties properties(String module) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(propertiesOf(module))) {
            p.load(r);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + propertiesOf(module) + ": " + e.getMessage(), e);
        }
        return p;
    }

    /** quarkus.http.port of the module (the prod value; gRPC shares this port). */
    int httpPort(String module) {
        String value = properties(module).getProperty("quarkus.http.port");
        if (value == null) {
            throw new AssertionError(propertiesOf(module) + " has no quarkus.http.port");
        }
        return Integer.parseInt(value.trim());
    }

    /** Names of the gRPC clients the module configures (quarkus.grpc.clients.NAME.host). */
    Set<String> grpcClients(String module) {
        Set<String> names = new TreeSet<>();
        for (String key : properties(module).stringPropertyNames()) {
            Matcher m = GRPC_CLIENT_HOST.matcher(key);
            if (m.matches()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    boolean hasDatasource(String module) {
        return properties(module).getProperty("quarkus.datasource.jdbc.url") != null;
    }
}
