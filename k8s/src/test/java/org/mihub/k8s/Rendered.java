package org.mihub.k8s;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One overlay rendered with {@code kubectl kustomize} and parsed with the fabric8 model. */
final class Rendered {

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    final String overlay;
    final Path dir;
    /** The overlay's kustomization.yaml as a map. */
    final Map<String, Object> kustomization;
    /** The rendered YAML, as kubectl printed it. */
    final String yaml;
    /** Every rendered object: typed where fabric8 knows the kind, GenericKubernetesResource otherwise. */
    final List<HasMetadata> objects;

    private Rendered(String overlay, Path dir, Map<String, Object> kustomization, String yaml, List<HasMetadata> objects) {
        this.overlay = overlay;
        this.dir = dir;
        this.kustomization = kustomization;
        this.yaml = yaml;
        this.objects = objects;
    }

    static Rendered render(Path kubectl, Path overlayDir) {
        String name = overlayDir.getFileName().toString();
        Map<String, Object> kustomization;
        try {
            kustomization = YAML.readValue(overlayDir.resolve("kustomization.yaml").toFile(), Maps.STRING_OBJECT);
        } catch (IOException e) {
            throw new AssertionError(name + ": cannot read kustomization.yaml: " + e.getMessage(), e);
        }
        String yaml = run(kubectl, overlayDir);
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> docs = YAML.readerFor(Maps.STRING_OBJECT).readValues(yaml)) {
            int index = 0;
            while (docs.hasNext()) {
                Map<String, Object> doc = docs.next();
                index++;
                if (doc == null || doc.isEmpty()) {
                    continue;
                }
                String where = name + " document " + index + " (" + doc.get("kind") + " "
                        + Maps.at(doc, "metadata", "name") + ")";
                if (doc.get("apiVersion") == null || doc.get("kind") == null) {
                    throw new AssertionError(where + ": no apiVersion or kind");
                }
                KubernetesResource parsed;
                try {
                    parsed = SERIALIZATION.unmarshal(JSON.writeValueAsString(doc), KubernetesResource.class);
                } catch (RuntimeException e) {
                    throw new AssertionError(where + ": does not parse with the Kubernetes model: " + e.getMessage(), e);
                }
                if (!(parsed instanceof HasMetadata object)) {
                    throw new AssertionError(where + ": parsed as " + parsed.getClass().getName() + ", not an object with metadata");
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new AssertionError(name + ": rendered output is not YAML: " + e.getMessage(), e);
        }
        return new Rendered(name, overlayDir, kustomization, yaml, List.copyOf(objects));
    }

    private static String run(Path kubectl, Path overlayDir) {
        ProcessBuilder pb = new ProcessBuilder(kubectl.toString(), "kustomize", overlayDir.toString());
        pb.redirectErrorStream(false);
        try {
            Process process = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + overlayDir + " did not finish in 180 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + overlayDir + " failed (exit " + process.exitValue() + "):\n" + err.join());
            }
            return out.join();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + kubectl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** kubectl from -Dmihub.kubectl, or the first one on PATH. */
    static Optional<Path> findKubectl() {
        String configured = System.getProperty("mihub.kubectl");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(s -> Path.of(s, "kubectl"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    // ---- access to the rendered objects

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<GenericKubernetesResource> custom(String apiVersion, String kind) {
        return objects.stream()
                .filter(o -> o instanceof GenericKubernetesResource)
                .map(o -> (GenericKubernetesResource) o)
                .filter(o -> apiVersion.equals(o.getApiVersion()) && kind.equals(o.getKind()))
                .toList();
    }

    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** The overlay's namespace: field. */
    String namespace() {
        return (String) kustomization.get("namespace");
    }

    /** The literals of the overlay's mihub-values ConfigMap generator. */
    Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        Object generators = kustomization.get("configMapGenerator");
        if (generators instanceof List<?> list) {
            for (Object g : list) {
                if (g instanceof Map<?, ?> m && "mihub-values".equals(m.get("name")) && m.get("literals") instanceof List<?> literals) {
                    for (Object l : literals) {
                        String s = String.valueOf(l);
                        int eq = s.indexOf('=');
                        if (eq > 0) {
                            values.put(s.substring(0, eq), s.substring(eq + 1));
                        }
                    }
                }
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return overlay;
    }
}
