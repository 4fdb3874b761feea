package org.mihub.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Renders every overlay under k8s/overlays with {@code kubectl kustomize}, parses each object with
 * the fabric8 Kubernetes model and checks the deployment rules of issue 7 on the result. Every
 * check collects all its findings before failing, so one run shows everything to fix.
 */
class RenderedManifestsTest {

    static final Path K8S = Path.of(System.getProperty("mihub.k8s.dir", ".")).toAbsolutePath().normalize();
    static final Path ROOT = Path.of(System.getProperty("mihub.root.dir", "..")).toAbsolutePath().normalize();
    static final ServiceModules MODULES = new ServiceModules(ROOT);

    /** Overlays that must exist. Any other directory under overlays/ (an institution) is checked too. */
    static final Set<String> REQUIRED_OVERLAYS = Set.of("dev", "hub", "regional-node", "_template");
    /** The only overlay allowed to run without database backups. */
    static final String DEV = "dev";
    /** Placeholders of base and components that every overlay must replace through its values. */
    static final List<String> PLACEHOLDERS = List.of("base.invalid", "192.0.2.");

    static final String REALM = "mihub";
    static final String AUDIENCE = "mihub";
    static final Set<String> REALM_ROLES = Set.of("member", "contributor", "curator", "admin");
    static final String BACKUP_ANNOTATION = "mihub.org/backup";
    static final String BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";

    static final Pattern SECRET_LIKE_NAME = Pattern.compile("(?i).*(password|secret|credential|private[-_]?key).*");
    static final Pattern SECRET_FIELD = Pattern.compile("(?i)^(password|secret|client[-_]?secret|.*password)$");
    static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{[A-Za-z0-9_.:-]+}$");
    static final Pattern JDBC = Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?$");

    // ------------------------------------------------------------------ without kubectl

    @Test
    void requiredOverlaysExist() {
        Set<String> found = new TreeSet<>();
        overlayDirs().forEach(d -> found.add(d.getFileName().toString()));
        assertTrue(found.containsAll(REQUIRED_OVERLAYS), "overlays found " + found + ", required " + REQUIRED_OVERLAYS);
    }

    @Test
    void serviceModulesDeclareDistinctPorts() {
        List<String> modules = serviceModules();
        assertEquals(Set.of("gateway", "catalog-service", "prediction-service", "planning-service"), new TreeSet<>(modules),
                "service modules (with quarkus.http.port) under " + ROOT);
        Map<Integer, String> byPort = new HashMap<>();
        for (String m : modules) {
            String other = byPort.put(MODULES.httpPort(m), m);
            assertTrue(other == null, m + " and " + other + " share port " + MODULES.httpPort(m));
        }
    }

    /**
     * The image names and the release tag are set once, in base/kustomization.yaml. Where the Maven
     * build names its images (quarkus.container-image.* in a module or the root POM), it must agree.
     */
    @Test
    void imageNamesAndTagAgreeWithTheBuild() throws IOException {
        Map<String, Object> base = Rendered.YAML.readValue(K8S.resolve("base/kustomization.yaml").toFile(), Maps.STRING_OBJECT);
        Map<String, String> tags = new TreeMap<>();
        for (Object image : Maps.list(base, "images")) {
            tags.put(Maps.string(image, "name"), Maps.string(image, "newTag"));
        }
        Set<String> expectedImages = new TreeSet<>();
        serviceModules().forEach(m -> expectedImages.add("mihub/" + m));
        assertEquals(expectedImages, tags.keySet(), "base/kustomization.yaml images: one entry per service module");
        assertEquals(1, new TreeSet<>(tags.values()).size(), "one release tag for all images: " + tags);
        String tag = tags.values().iterator().next();
        assertTrue(tag != null && !tag.isBlank() && !"latest".equals(tag), "release tag " + tag);

        List<String> problems = new ArrayList<>();
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Map<String, String> pomProperties = new HashMap<>();
        Matcher m = Pattern.compile("<(quarkus\\.container-image\\.[a-z-]+)>([^<]*)</\\1>").matcher(pom);
        while (m.find()) {
            pomProperties.put(m.group(1), m.group(2).trim());
        }
        for (String module : serviceModules()) {
            var props = MODULES.properties(module);
            String group = props.getProperty("quarkus.container-image.group", pomProperties.get("quarkus.container-image.group"));
            String name = props.getProperty("quarkus.container-image.name", pomProperties.get("quarkus.container-image.name"));
            String buildTag = props.getProperty("quarkus.container-image.tag", pomProperties.get("quarkus.container-image.tag"));
            if (group != null && !"mihub".equals(group)) {
                problems.add(module + ": quarkus.container-image.group=" + group + ", the manifests use mihub");
            }
            if (name != null && !name.contains("$") && !module.equals(name)) {
                problems.add(module + ": quarkus.container-image.name=" + name + ", the manifests use " + module);
            }
            if (buildTag != null && !buildTag.contains("$") && !tag.equals(buildTag)) {
                problems.add(module + ": the build tags images " + buildTag + ", base/kustomization.yaml deploys " + tag);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // ------------------------------------------------------------------ rendered overlays

    @TestFactory
    Stream<DynamicNode> everyOverlay() {
        Optional<Path> kubectl = Rendered.findKubectl();
        if (kubectl.isEmpty()) {
            // A skipped test (with this message in the report), not a silently empty factory.
            return Stream.of(DynamicTest.dynamicTest("kubectl kustomize (kubectl missing)", () -> assumeTrue(false,
                    "kubectl was not found on PATH (nor given as -Dmihub.kubectl=...): the overlays under k8s/overlays "
                            + "were NOT rendered or checked. Install kubectl to run these checks.")));
        }
        return overlayDirs().map(dir -> {
            Supplier<Rendered> rendered = once(() -> Rendered.render(kubectl.get(), dir));
            return DynamicContainer.dynamicContainer(dir.getFileName().toString(), Stream.of(
                    DynamicTest.dynamicTest("renders and every object parses", () -> assertTrue(!rendered.get().objects.isEmpty(), "nothing rendered")),
                    check("no unknown fields in typed objects", rendered, this::unknownFields),
                    check("all objects in the overlay's namespace", rendered, this::namespaces),
                    check("site values are complete and applied", rendered, this::values),
                    check("deployments: probes, resources, security, images", rendered, this::deployments),
                    check("service accounts do not mount API tokens", rendered, this::serviceAccounts),
                    check("services select their deployment on its HTTP port", rendered, this::services),
                    check("container ports equal each module's quarkus.http.port", rendered, this::ports),
                    check("configuration: gRPC clients, datasource, OIDC", rendered, this::configuration),
                    check("no secret values anywhere", rendered, this::noSecrets),
                    check("network policies: default deny, call graph, database, Keycloak, DNS", rendered, this::networkPolicies),
                    check("autoscaler and disruption budget per deployment", rendered, this::autoscaling),
                    check("ingress: only the gateway, with TLS", rendered, this::ingress),
                    check("OPTIMADE: public base URL and federation links", rendered, this::optimade),
                    check("PostgreSQL cluster: databases, roles, backups", rendered, this::database),
                    check("Keycloak and realm import", rendered, this::keycloak),
                    check("every workload is a service module or the NATS server", rendered, this::workloads),
                    check("NATS: pinned image, probes, security, configuration, node permissions", rendered, this::nats),
                    check("federation: node id, hub, NATS client, gateway client, issuer trust", rendered, this::federation),
                    check("egress out of the namespace: only the allowed connections", rendered, this::egress)));
        });
    }

    private static DynamicTest check(String name, Supplier<Rendered> rendered, BiConsumer<Rendered, List<String>> rule) {
        return DynamicTest.dynamicTest(name, () -> {
            Rendered r = rendered.get();
            List<String> problems = new ArrayList<>();
            rule.accept(r, problems);
            if (!problems.isEmpty()) {
                fail(r.overlay + ": " + problems.size() + " problem(s):\n  - " + String.join("\n  - ", problems));
            }
        });
    }

    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;
            private RuntimeException runtimeFailure;
            private Error errorFailure;

            @Override
            public synchronized T get() {
                if (runtimeFailure != null) {
                    throw runtimeFailure;
                }
                if (errorFailure != null) {
                    throw errorFailure;
                }
                if (value == null) {
                    try {
                        value = supplier.get();
                    } catch (RuntimeException e) {
                        runtimeFailure = e;
                        throw e;
                    } catch (Error e) {
                        errorFailure = e;
                        throw e;
                    }
                }
                return value;
            }
        };
    }

    static Stream<Path> overlayDirs() {
        Path overlays = K8S.resolve("overlays");
        try (Stream<Path> dirs = Files.list(overlays)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).sorted().toList().stream();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + overlays + ": " + e.getMessage(), e);
        }
    }

    static List<String> serviceModules() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .filter(MODULES::exists)
                    .filter(m -> MODULES.properties(m).getProperty("quarkus.http.port") != null)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + ROOT + ": " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ rules

    void unknownFields(Rendered r, List<String> problems) {
        for (HasMetadata o : r.objects) {
            if (!(o instanceof GenericKubernetesResource)) {
                problems.addAll(UnknownFields.in(o, id(o)));
            }
        }
    }

    void namespaces(Rendered r, List<String> problems) {
        String ns = r.namespace();
        if (ns == null || ns.isBlank()) {
            problems.add("kustomization.yaml sets no namespace");
            return;
        }
        for (HasMetadata o : r.objects) {
            if (!ns.equals(o.getMetadata().getNamespace())) {
                problems.add(id(o) + " is in namespace " + o.getMetadata().getNamespace() + ", not " + ns);
            }
        }
    }

    void values(Rendered r, List<String> problems) {
        Map<String, String> values = r.values();
        Set<String> required = requiredValueKeys();
        Set<String> missing = new TreeSet<>(required);
        missing.removeAll(values.keySet());
        if (!missing.isEmpty()) {
            problems.add("mihub-values lacks " + missing);
        }
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(required);
        if (!unknown.isEmpty()) {
            problems.add("mihub-values has keys no replacement uses (typo?) " + unknown);
        }
        if (!(r.kustomization.get("transformers") instanceof List<?> t) || !t.contains("../../values")) {
            problems.add("kustomization.yaml must list ../../values under transformers (it applies the values)");
        }
        for (String placeholder : PLACEHOLDERS) {
            if (r.yaml.contains(placeholder)) {
                problems.add("a placeholder of base or a component survived rendering: '" + placeholder + "'");
            }
        }
        if (r.yaml.contains("name: mihub-values")) {
            problems.add("the mihub-values ConfigMap must not be rendered (local-config annotation missing?)");
        }
    }

    /** The value keys the shared replacements read (values/replacements.yaml). */
    static Set<String> requiredValueKeys() {
        Map<String, Object> transformer;
        try {
            transformer = Rendered.YAML.readValue(K8S.resolve("values/replacements.yaml").toFile(), Maps.STRING_OBJECT);
        } catch (IOException e) {
            throw new AssertionError("cannot read values/replacements.yaml: " + e.getMessage(), e);
        }
        Set<String> keys = new TreeSet<>();
        for (Object replacement : Maps.list(transformer, "replacements")) {
            String fieldPath = Maps.string(replacement, "source", "fieldPath");
            if (fieldPath != null && fieldPath.startsWith("data.")) {
                keys.add(fieldPath.substring("data.".length()));
            }
        }
        return keys;
    }

    /** The Deployments of the service modules (the NATS leaf node is checked by {@link #nats}). */
    static List<Deployment> moduleDeployments(Rendered r) {
        Set<String> modules = new TreeSet<>(serviceModules());
        return r.all(Deployment.class).stream().filter(d -> modules.contains(d.getMetadata().getName())).toList();
    }

    void deployments(Rendered r, List<String> problems) {
        List<Deployment> deployments = moduleDeployments(r);
        if (deployments.isEmpty()) {
            problems.add("no Deployment rendered");
        }
        Set<String> tags = new TreeSet<>();
        for (Deployment d : deployments) {
            String id = id(d);
            if (d.getSpec().getReplicas() != null) {
                problems.add(id + " sets spec.replicas; the HorizontalPodAutoscaler owns the replica count");
            }
            Map<String, String> selector = d.getSpec().getSelector() == null ? null : d.getSpec().getSelector().getMatchLabels();
            if (selector == null || selector.isEmpty()
                    || !NetworkRules.matches(d.getSpec().getSelector(), podLabels(d))) {
                problems.add(id + ": selector does not match its own pod template labels");
            }
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            PodSecurityContext psc = pod.getSecurityContext();
            podSecurity(id, pod, problems);
            List<Container> containers = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                containers.addAll(pod.getInitContainers());
            }
            for (Container c : containers) {
                String cid = id + " container " + c.getName();
                containerSecurity(cid, psc, c, problems);
                String tag = imageTag(c.getImage());
                if (tag == null) {
                    problems.add(cid + ": image " + c.getImage() + " has no pinned tag or digest");
                } else if ("latest".equals(tag)) {
                    problems.add(cid + ": image " + c.getImage() + " uses latest");
                } else {
                    tags.add(tag);
                }
                if ("Always".equals(c.getImagePullPolicy()) && tag == null) {
                    problems.add(cid + ": pulls an unpinned image");
                }
                resources(cid, c.getResources(), problems);
                if (pod.getContainers().contains(c)) {
                    probes(cid, c, problems);
                    tmp(cid, pod, c, problems);
                }
            }
            String image = pod.getContainers().get(0).getImage();
            if (image == null || !image.startsWith("mihub/" + d.getMetadata().getName() + ":") && !image.contains("/mihub/" + d.getMetadata().getName() + ":")
                    && !image.contains("/" + d.getMetadata().getName() + "@") && !image.startsWith("mihub/" + d.getMetadata().getName() + "@")) {
                problems.add(id + ": image " + image + " is not the module's image mihub/" + d.getMetadata().getName());
            }
        }
        if (tags.size() > 1) {
            problems.add("the four services run different releases " + tags + " (set the tag in one images: list)");
        }
    }

    /** Pod-level rules every workload follows (services and NATS alike). */
    static void podSecurity(String id, PodSpec pod, List<String> problems) {
        if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
            problems.add(id + ": automountServiceAccountToken must be false");
        }
        if (pod.getServiceAccountName() == null || "default".equals(pod.getServiceAccountName())) {
            problems.add(id + ": runs as the default service account");
        }
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC())) {
            problems.add(id + ": uses host namespaces");
        }
    }

    /** Container-level rules every workload follows: non-root, read-only root, no escalation, no capabilities, seccomp. */
    static void containerSecurity(String cid, PodSecurityContext psc, Container c, List<String> problems) {
        SecurityContext sc = c.getSecurityContext();
        if (!(Boolean.TRUE.equals(sc == null ? null : sc.getRunAsNonRoot())
                || (psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot()) && (sc == null || sc.getRunAsNonRoot() == null)))) {
            problems.add(cid + ": runAsNonRoot is not true");
        }
        Long uid = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc == null ? null : psc.getRunAsUser();
        if (uid != null && uid == 0) {
            problems.add(cid + ": runAsUser 0");
        }
        if (sc == null || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
            problems.add(cid + ": readOnlyRootFilesystem is not true");
        }
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            problems.add(cid + ": allowPrivilegeEscalation is not false");
        }
        if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
            problems.add(cid + ": privileged");
        }
        if (sc == null || sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null
                || !sc.getCapabilities().getDrop().contains("ALL")) {
            problems.add(cid + ": capabilities do not drop ALL");
        }
        if (sc != null && sc.getCapabilities() != null && sc.getCapabilities().getAdd() != null
                && !sc.getCapabilities().getAdd().isEmpty()) {
            problems.add(cid + ": adds capabilities " + sc.getCapabilities().getAdd());
        }
        String seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                : psc != null && psc.getSeccompProfile() != null ? psc.getSeccompProfile().getType() : null;
        if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
            problems.add(cid + ": seccompProfile is " + seccomp + ", not RuntimeDefault");
        }
    }

    /** The tag (or digest) of an image reference, or null when there is none. */
    static String imageTag(String image) {
        if (image == null || image.isBlank()) {
            return null;
        }
        int at = image.indexOf('@');
        if (at >= 0) {
            return image.substring(at + 1);
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : null;
    }

    private static void resources(String cid, ResourceRequirements res, List<String> problems) {
        if (res == null) {
            problems.add(cid + ": no resources");
            return;
        }
        for (String kind : List.of("cpu", "memory")) {
            Quantity request = res.getRequests() == null ? null : res.getRequests().get(kind);
            Quantity limit = res.getLimits() == null ? null : res.getLimits().get(kind);
            if (request == null) {
                problems.add(cid + ": no " + kind + " request");
            }
            if (limit == null) {
                problems.add(cid + ": no " + kind + " limit");
            }
            if (request != null && limit != null
                    && Quantity.getAmountInBytes(request).compareTo(Quantity.getAmountInBytes(limit)) > 0) {
                problems.add(cid + ": " + kind + " request " + request + " exceeds the limit " + limit);
            }
        }
    }

    private static void probes(String cid, Container c, List<String> problems) {
        probe(cid, "liveness", c.getLivenessProbe(), "/q/health/live", c, problems);
        probe(cid, "readiness", c.getReadinessProbe(), "/q/health/ready", c, problems);
        if (c.getStartupProbe() != null) {
            probe(cid, "startup", c.getStartupProbe(), null, c, problems);
        }
    }

    private static void probe(String cid, String kind, Probe probe, String expectedPath, Container c, List<String> problems) {
        HTTPGetAction get = probe == null ? null : probe.getHttpGet();
        if (get == null) {
            problems.add(cid + ": no HTTP " + kind + " probe");
            return;
        }
        String path = get.getPath();
        if (expectedPath != null ? !expectedPath.equals(path) : path == null || !path.startsWith("/q/health/")) {
            problems.add(cid + ": " + kind + " probe path " + path + ", expected " + (expectedPath != null ? expectedPath : "/q/health/*"));
        }
        if (resolvePort(c, get.getPort()) == null) {
            problems.add(cid + ": " + kind + " probe port " + get.getPort() + " is not a container port");
        }
    }

    private static void tmp(String cid, PodSpec pod, Container c, List<String> problems) {
        Optional<VolumeMount> mount = c.getVolumeMounts() == null ? Optional.empty()
                : c.getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath())).findFirst();
        Optional<Volume> volume = mount.flatMap(m -> pod.getVolumes() == null ? Optional.empty()
                : pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst());
        if (volume.isEmpty() || volume.get().getEmptyDir() == null) {
            problems.add(cid + ": no emptyDir at /tmp (needed with a read-only root filesystem)");
        }
    }

    void serviceAccounts(Rendered r, List<String> problems) {
        for (Deployment d : r.all(Deployment.class)) {
            String name = d.getSpec().getTemplate().getSpec().getServiceAccountName();
            Optional<ServiceAccount> sa = r.named(ServiceAccount.class, name == null ? "" : name);
            if (sa.isEmpty()) {
                problems.add(id(d) + ": service account " + name + " is not rendered");
            } else if (!Boolean.FALSE.equals(sa.get().getAutomountServiceAccountToken())) {
                problems.add(id(sa.get()) + ": automountServiceAccountToken must be false");
            }
        }
    }

    void services(Rendered r, List<String> problems) {
        List<Deployment> deployments = moduleDeployments(r);
        for (Service s : r.all(Service.class)) {
            String id = id(s);
            if (selectsNats(s)) {
                continue; // the NATS server's Services: see nats()
            }
            if (s.getSpec().getType() != null && !"ClusterIP".equals(s.getSpec().getType())) {
                problems.add(id + ": type " + s.getSpec().getType() + " (only the Ingress is public)");
            }
            Map<String, String> selector = s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                problems.add(id + ": no selector");
                continue;
            }
            List<Deployment> selected = deployments.stream()
                    .filter(d -> podLabels(d).entrySet().containsAll(selector.entrySet())).toList();
            if (selected.size() != 1) {
                problems.add(id + ": selector " + selector + " matches " + selected.size() + " deployments' pod labels, expected exactly 1");
                continue;
            }
            Deployment d = selected.get(0);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            List<ServicePort> ports = s.getSpec().getPorts();
            if (ports == null || ports.size() != 1) {
                problems.add(id + ": expected exactly one port (HTTP and gRPC share it)");
                continue;
            }
            ServicePort p = ports.get(0);
            if (!"http".equals(p.getName())) {
                problems.add(id + ": port is named " + p.getName() + ", expected http");
            }
            if (p.getAppProtocol() == null || p.getAppProtocol().isBlank()) {
                problems.add(id + ": port has no appProtocol");
            }
            ContainerPort target = resolvePort(c, p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort());
            if (target == null) {
                problems.add(id + ": targetPort " + p.getTargetPort() + " is not a port of " + id(d));
            } else if (!Objects.equals(target.getContainerPort(), p.getPort())) {
                problems.add(id + ": port " + p.getPort() + " differs from the container port " + target.getContainerPort());
            }
        }
        for (Deployment d : deployments) {
            boolean exposed = r.all(Service.class).stream().anyMatch(s -> s.getSpec().getSelector() != null
                    && podLabels(d).entrySet().containsAll(s.getSpec().getSelector().entrySet()));
            if (!exposed) {
                problems.add(id(d) + ": no Service selects it");
            }
        }
    }

    void ports(Rendered r, List<String> problems) {
        Set<String> deployed = new TreeSet<>();
        for (Deployment d : r.all(Deployment.class)) {
            if (isNats(d)) {
                continue; // not a module: see nats()
            }
            String module = d.getMetadata().getName();
            deployed.add(module);
            if (!MODULES.exists(module)) {
                problems.add(id(d) + ": no module " + module + " with src/main/resources/application.properties under " + ROOT);
                continue;
            }
            int port = MODULES.httpPort(module);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            ContainerPort http = resolvePort(c, new IntOrString("http"));
            if (http == null) {
                problems.add(id(d) + ": no container port named http");
            } else if (http.getContainerPort() != port) {
                problems.add(id(d) + ": container port " + http.getContainerPort() + " but " + module
                        + " configures quarkus.http.port=" + port + " (gRPC is served on the same port)");
            }
            if (c.getPorts() != null && c.getPorts().size() != 1) {
                problems.add(id(d) + ": expected one container port (HTTP and gRPC share quarkus.http.port), found " + c.getPorts().size());
            }
            Env env = Env.of(r, c, problems, id(d));
            String configured = env.literal("QUARKUS_HTTP_PORT");
            if (configured != null && !configured.equals(String.valueOf(port))) {
                problems.add(id(d) + ": QUARKUS_HTTP_PORT=" + configured + " but " + module + " configures " + port);
            }
        }
        Set<String> expected = new TreeSet<>(serviceModules());
        if (!deployed.equals(expected)) {
            problems.add("deployments " + deployed + " differ from the service modules " + expected);
        }
    }

    void configuration(Rendered r, List<String> problems) {
        Optional<GenericKubernetesResource> cluster = r.custom("postgresql.cnpg.io/v1", "Cluster").stream().findFirst();
        Database db = cluster.map(c -> Database.of(r, c, new ArrayList<>())).orElse(null);
        Optional<GenericKubernetesResource> keycloak = r.custom("k8s.keycloak.org/v2alpha1", "Keycloak").stream().findFirst();
        for (Deployment d : r.all(Deployment.class)) {
            String module = d.getMetadata().getName();
            if (!MODULES.exists(module)) {
                continue;
            }
            String id = id(d);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Env env = Env.of(r, c, problems, id);

            for (String client : MODULES.grpcClients(module)) {
                String prefix = "QUARKUS_GRPC_CLIENTS_" + client.toUpperCase(Locale.ROOT).replace('-', '_');
                String host = env.literal(prefix + "_HOST");
                String port = env.literal(prefix + "_PORT");
                if (host == null || port == null) {
                    problems.add(id + ": gRPC client '" + client + "' of " + module + " needs " + prefix + "_HOST and _PORT (else it calls 127.0.0.1)");
                    continue;
                }
                Optional<Service> service = r.named(Service.class, host);
                if (service.isEmpty()) {
                    problems.add(id + ": " + prefix + "_HOST=" + host + " is not a rendered Service");
                    continue;
                }
                Integer servicePort = service.get().getSpec().getPorts().get(0).getPort();
                if (!port.equals(String.valueOf(servicePort))) {
                    problems.add(id + ": " + prefix + "_PORT=" + port + " but Service " + host + " listens on " + servicePort);
                }
                Optional<Deployment> target = selectedDeployment(r, service.get());
                if (target.isPresent() && MODULES.exists(target.get().getMetadata().getName())
                        && !port.equals(String.valueOf(MODULES.httpPort(target.get().getMetadata().getName())))) {
                    problems.add(id + ": " + prefix + "_PORT=" + port + " but " + target.get().getMetadata().getName()
                            + " serves gRPC on quarkus.http.port=" + MODULES.httpPort(target.get().getMetadata().getName()));
                }
            }

            if (MODULES.hasDatasource(module)) {
                datasource(r, id, d, c, env, db, problems);
            }

            String server = env.literal("QUARKUS_OIDC_AUTH_SERVER_URL");
            String issuer = env.literal("QUARKUS_OIDC_TOKEN_ISSUER");
            if (server == null || server.contains("127.0.0.1") || server.contains("localhost")) {
                problems.add(id + ": QUARKUS_OIDC_AUTH_SERVER_URL is " + server);
                continue;
            }
            if (issuer == null || !issuer.startsWith("https://") || !issuer.endsWith("/realms/" + REALM)) {
                problems.add(id + ": QUARKUS_OIDC_TOKEN_ISSUER " + issuer + " is not https://<host>/realms/" + REALM);
                continue;
            }
            if (keycloak.isPresent()) {
                String name = keycloak.get().getMetadata().getName();
                Object httpPort = Maps.at(keycloak.get(), "spec", "http", "httpPort");
                String expected = "http://" + name + "-service:" + (httpPort == null ? 8080 : httpPort) + "/realms/" + REALM;
                if (!expected.equals(server)) {
                    problems.add(id + ": with an in-cluster Keycloak the services fetch keys from " + expected + ", not " + server);
                }
                String hostname = Maps.string(keycloak.get(), "spec", "hostname", "hostname");
                if (hostname == null || !issuer.equals(stripSlash(hostname) + "/realms/" + REALM)) {
                    problems.add(id + ": issuer " + issuer + " does not match Keycloak's hostname " + hostname);
                }
            } else if (!server.equals(issuer)) {
                problems.add(id + ": without an in-cluster Keycloak the keys come from the issuer itself; "
                        + "QUARKUS_OIDC_AUTH_SERVER_URL=" + server + ", issuer " + issuer);
            }
        }
    }

    private static void datasource(Rendered r, String id, Deployment d, Container c, Env env, Database db, List<String> problems) {
        String url = env.literal("QUARKUS_DATASOURCE_JDBC_URL");
        Env.Value user = env.get("QUARKUS_DATASOURCE_USERNAME");
        Env.Value password = env.get("QUARKUS_DATASOURCE_PASSWORD");
        if (url == null) {
            problems.add(id + ": no QUARKUS_DATASOURCE_JDBC_URL (the module's default points at 127.0.0.1)");
            return;
        }
        if (user == null || user.secretName() == null) {
            problems.add(id + ": QUARKUS_DATASOURCE_USERNAME must come from a secretKeyRef");
        }
        if (password == null || password.secretName() == null) {
            problems.add(id + ": QUARKUS_DATASOURCE_PASSWORD must come from a secretKeyRef");
        }
        Matcher m = JDBC.matcher(url);
        if (!m.matches()) {
            problems.add(id + ": JDBC URL " + url + " is not jdbc:postgresql://host[:port]/database");
            return;
        }
        String host = m.group(1);
        String database = m.group(3);
        String query = m.group(4) == null ? "" : m.group(4);
        if (!query.contains("sslmode=") || query.contains("sslmode=disable") || query.contains("sslmode=allow")) {
            problems.add(id + ": JDBC URL does not require TLS (sslmode)");
        }
        Matcher rootCert = Pattern.compile("sslrootcert=([^&]+)").matcher(query);
        if (rootCert.find()) {
            String file = rootCert.group(1);
            boolean mounted = c.getVolumeMounts() != null && c.getVolumeMounts().stream()
                    .anyMatch(vm -> file.startsWith(stripSlash(vm.getMountPath()) + "/"));
            if (!mounted) {
                problems.add(id + ": sslrootcert " + file + " is not under any volume mount");
            }
        }
        if (db == null) {
            problems.add(id + ": needs a database but the overlay renders no CloudNativePG Cluster");
            return;
        }
        if (!host.equals(db.cluster + "-rw") && !host.startsWith(db.cluster + "-rw.")) {
            problems.add(id + ": JDBC host " + host + " is not the read-write service " + db.cluster + "-rw");
        }
        String owner = db.databases.get(database);
        if (owner == null) {
            problems.add(id + ": database " + database + " is not created by the cluster " + db.cluster + " (initdb or Database)");
            return;
        }
        String roleSecret = db.roleSecrets.get(owner);
        if (password != null && password.secretName() != null && !password.secretName().equals(roleSecret)) {
            problems.add(id + ": password secret " + password.secretName() + " is not the secret of role " + owner + " (" + roleSecret + ")");
        }
        if (user != null && user.secretName() != null && !user.secretName().equals(roleSecret)) {
            problems.add(id + ": username secret " + user.secretName() + " is not the secret of role " + owner + " (" + roleSecret + ")");
        }
    }

    void noSecrets(Rendered r, List<String> problems) {
        for (Secret s : r.all(Secret.class)) {
            if ((s.getData() != null && !s.getData().isEmpty()) || (s.getStringData() != null && !s.getStringData().isEmpty())) {
                problems.add(id(s) + " carries values; secrets are created outside the repository and only referenced");
            }
        }
        for (ConfigMap cm : r.all(ConfigMap.class)) {
            if (cm.getData() != null) {
                cm.getData().keySet().stream().filter(k -> SECRET_LIKE_NAME.matcher(k).matches())
                        .forEach(k -> problems.add(id(cm) + ": key " + k + " looks like a secret; use a secretKeyRef"));
            }
        }
        for (Deployment d : r.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                if (c.getEnv() == null) {
                    continue;
                }
                for (EnvVar e : c.getEnv()) {
                    if (SECRET_LIKE_NAME.matcher(e.getName()).matches() && e.getValue() != null) {
                        problems.add(id(d) + ": env " + e.getName() + " has a literal value; use a secretKeyRef");
                    }
                }
            }
        }
        for (GenericKubernetesResource cr : r.all(GenericKubernetesResource.class)) {
            inlineSecrets(cr.getAdditionalProperties(), id(cr), problems);
        }
    }

    private static void inlineSecrets(Object o, String path, List<String> problems) {
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                if (v instanceof String s && SECRET_FIELD.matcher(key).matches() && !PLACEHOLDER.matcher(s).matches()) {
                    problems.add(path + "." + key + " holds a literal secret; use a secret reference or a ${PLACEHOLDER}");
                }
                inlineSecrets(v, path + "." + key, problems);
            });
        } else if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                inlineSecrets(list.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    void networkPolicies(Rendered r, List<String> problems) {
        List<NetworkPolicy> policies = r.all(NetworkPolicy.class);
        NetworkRules rules = new NetworkRules(policies);
        if (policies.stream().noneMatch(NetworkRules::isDefaultDeny)) {
            problems.add("no default-deny policy (empty podSelector, Ingress and Egress, no rules)");
        }
        boolean dns = policies.stream().anyMatch(p -> isAllPods(p) && p.getSpec().getEgress() != null
                && p.getSpec().getEgress().stream().anyMatch(e -> portListed(e.getPorts(), 53, "UDP") && portListed(e.getPorts(), 53, "TCP")));
        if (!dns) {
            problems.add("no policy lets every pod reach DNS (UDP and TCP 53)");
        }
        for (NetworkPolicy p : policies) {
            String id = id(p);
            if (p.getSpec().getIngress() != null) {
                for (NetworkPolicyIngressRule rule : p.getSpec().getIngress()) {
                    if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                        problems.add(id + ": an ingress rule without 'from' admits every source");
                    } else {
                        for (NetworkPolicyPeer peer : rule.getFrom()) {
                            peerHygiene(id, peer, true, problems);
                        }
                    }
                }
            }
            if (p.getSpec().getEgress() != null) {
                for (NetworkPolicyEgressRule rule : p.getSpec().getEgress()) {
                    if (rule.getTo() == null || rule.getTo().isEmpty()) {
                        problems.add(id + ": an egress rule without 'to' reaches every destination");
                    } else {
                        for (NetworkPolicyPeer peer : rule.getTo()) {
                            peerHygiene(id, peer, false, problems);
                        }
                    }
                }
            }
        }

        for (Map.Entry<String, Map<String, String>> workload : workloadPods(r).entrySet()) {
            Map<String, String> labels = workload.getValue();
            for (String type : List.of("Ingress", "Egress")) {
                if (rules.selecting(labels, type).isEmpty()) {
                    problems.add(workload.getKey() + ": no NetworkPolicy selects its pods for " + type);
                }
            }
            boolean reachable = rules.selecting(labels, "Ingress").stream()
                    .anyMatch(p -> p.getSpec().getIngress() != null && !p.getSpec().getIngress().isEmpty());
            if (!reachable) {
                problems.add(workload.getKey() + ": no policy admits any traffic to it");
            }
        }
        List<Deployment> deployments = moduleDeployments(r);

        // Service to service: exactly the calls the modules' gRPC clients make.
        Map<String, Set<String>> expected = new TreeMap<>();
        Map<String, Set<String>> actual = new TreeMap<>();
        for (Deployment from : deployments) {
            String name = from.getMetadata().getName();
            expected.put(name, new TreeSet<>());
            actual.put(name, new TreeSet<>());
            if (MODULES.exists(name)) {
                Env env = Env.of(r, from.getSpec().getTemplate().getSpec().getContainers().get(0), new ArrayList<>(), id(from));
                for (String client : MODULES.grpcClients(name)) {
                    String host = env.literal("QUARKUS_GRPC_CLIENTS_" + client.toUpperCase(Locale.ROOT).replace('-', '_') + "_HOST");
                    r.named(Service.class, host == null ? "" : host).flatMap(s -> selectedDeployment(r, s))
                            .ifPresent(t -> expected.get(name).add(t.getMetadata().getName()));
                }
            }
            for (Deployment to : deployments) {
                if (to == from) {
                    continue;
                }
                ContainerPort port = resolvePort(to.getSpec().getTemplate().getSpec().getContainers().get(0), new IntOrString("http"));
                if (port != null && rules.allows(podLabels(from), podLabels(to), port.getContainerPort(), "http")) {
                    actual.get(name).add(to.getMetadata().getName());
                }
            }
        }
        if (!expected.equals(actual)) {
            problems.add("service-to-service traffic allowed " + actual + " differs from the call graph of the gRPC clients " + expected);
        }

        // The gateway is reachable from the ingress controller's namespace (and no app pod calls it).
        String ingressNamespace = r.values().get("ingressNamespace");
        r.named(Deployment.class, "gateway").ifPresent(gw -> {
            boolean fromController = rules.selecting(podLabels(gw), "Ingress").stream()
                    .flatMap(p -> p.getSpec().getIngress() == null ? Stream.empty() : p.getSpec().getIngress().stream())
                    .flatMap(rule -> rule.getFrom().stream())
                    .anyMatch(peer -> namesNamespace(peer, ingressNamespace));
            if (!fromController) {
                problems.add("gateway: no ingress rule admits the ingress controller's namespace " + ingressNamespace);
            }
        });

        // PostgreSQL: exactly the data-owning services, and the instances among themselves.
        for (GenericKubernetesResource cluster : r.custom("postgresql.cnpg.io/v1", "Cluster")) {
            Map<String, String> dbPod = Map.of("cnpg.io/cluster", cluster.getMetadata().getName(), "cnpg.io/podRole", "instance");
            for (Deployment d : deployments) {
                String name = d.getMetadata().getName();
                boolean needs = MODULES.exists(name) && MODULES.hasDatasource(name);
                boolean allowed = rules.allows(podLabels(d), dbPod, 5432, "postgresql");
                if (needs != allowed) {
                    problems.add(id(d) + (needs ? " cannot reach" : " may reach") + " PostgreSQL " + cluster.getMetadata().getName());
                }
            }
            if (!rules.allows(dbPod, dbPod, 5432, "postgresql")) {
                problems.add("PostgreSQL instances cannot replicate from each other (5432)");
            }
            if (rules.selecting(dbPod, "Ingress").stream().allMatch(NetworkRules::isDefaultDeny)) {
                problems.add("no policy for the PostgreSQL pods beyond default deny");
            }
        }

        // Keycloak: in-cluster pods reachable by every service, or the hub's endpoint by address.
        List<GenericKubernetesResource> keycloaks = r.custom("k8s.keycloak.org/v2alpha1", "Keycloak");
        for (GenericKubernetesResource kc : keycloaks) {
            String name = kc.getMetadata().getName();
            Map<String, String> kcPod = Map.of("app", "keycloak", "app.kubernetes.io/instance", name,
                    "app.kubernetes.io/managed-by", "keycloak-operator", "app.kubernetes.io/component", "server");
            Map<String, String> importPod = Map.of("app", "keycloak-realm-import", "app.kubernetes.io/instance", name,
                    "app.kubernetes.io/managed-by", "keycloak-operator");
            Object httpPort = Maps.at(kc, "spec", "http", "httpPort");
            int port = httpPort instanceof Number n ? n.intValue() : 8080;
            for (Deployment d : deployments) {
                if (!rules.allows(podLabels(d), kcPod, port, "http")) {
                    problems.add(id(d) + " cannot reach Keycloak " + name + " on " + port);
                }
            }
            for (GenericKubernetesResource cluster : r.custom("postgresql.cnpg.io/v1", "Cluster")) {
                Map<String, String> dbPod = Map.of("cnpg.io/cluster", cluster.getMetadata().getName(), "cnpg.io/podRole", "instance");
                if (!rules.allows(kcPod, dbPod, 5432, "postgresql")) {
                    problems.add("Keycloak " + name + " cannot reach PostgreSQL");
                }
                if (!rules.allows(importPod, dbPod, 5432, "postgresql")) {
                    problems.add("the realm import job of " + name + " cannot reach PostgreSQL");
                }
            }
        }
        if (keycloaks.isEmpty()) {
            for (Deployment d : deployments) {
                if (!rules.egressToAddresses(podLabels(d), 443)) {
                    problems.add(id(d) + ": no in-cluster Keycloak and no egress to the hub's Keycloak (443)");
                }
            }
        }
    }

    private static boolean isAllPods(NetworkPolicy p) {
        var s = p.getSpec().getPodSelector();
        return s == null || ((s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty()));
    }

    private static boolean portListed(List<NetworkPolicyPort> ports, int port, String protocol) {
        return ports != null && ports.stream().anyMatch(p -> p.getPort() != null && Objects.equals(p.getPort().getIntVal(), port)
                && protocol.equals(p.getProtocol() == null ? "TCP" : p.getProtocol()));
    }

    private static void peerHygiene(String id, NetworkPolicyPeer peer, boolean ingress, List<String> problems) {
        if (peer.getIpBlock() != null) {
            String cidr = peer.getIpBlock().getCidr();
            if (!isCidr(cidr)) {
                problems.add(id + ": ipBlock " + cidr + " is not a CIDR");
            } else if (ingress && cidr.endsWith("/0")) {
                problems.add(id + ": admits traffic from every address (" + cidr + ")");
            } else if (cidr.startsWith("0.0.0.0/") && !cidr.endsWith("/0")) {
                problems.add(id + ": ipBlock " + cidr + " matches no real address (a value left unset?)");
            }
        }
        var ns = peer.getNamespaceSelector();
        if (ns != null && (ns.getMatchLabels() == null || ns.getMatchLabels().isEmpty())
                && (ns.getMatchExpressions() == null || ns.getMatchExpressions().isEmpty())) {
            problems.add(id + ": a peer selects every namespace");
        }
    }

    static boolean isCidr(String cidr) {
        if (cidr == null) {
            return false;
        }
        Matcher m = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})$").matcher(cidr);
        if (m.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m.group(i)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(m.group(5)) <= 32;
        }
        return cidr.matches("^[0-9a-fA-F:]+/\\d{1,3}$");
    }

    private static boolean namesNamespace(NetworkPolicyPeer peer, String namespace) {
        var ns = peer.getNamespaceSelector();
        if (ns == null || namespace == null) {
            return false;
        }
        if (ns.getMatchLabels() != null && namespace.equals(ns.getMatchLabels().get("kubernetes.io/metadata.name"))) {
            return true;
        }
        return ns.getMatchExpressions() != null && ns.getMatchExpressions().stream()
                .anyMatch(e -> "kubernetes.io/metadata.name".equals(e.getKey()) && "In".equals(e.getOperator())
                        && e.getValues() != null && e.getValues().contains(namespace));
    }

    void autoscaling(Rendered r, List<String> problems) {
        List<HorizontalPodAutoscaler> hpas = r.all(HorizontalPodAutoscaler.class);
        List<PodDisruptionBudget> pdbs = r.all(PodDisruptionBudget.class);
        for (Deployment d : moduleDeployments(r)) {
            String name = d.getMetadata().getName();
            List<HorizontalPodAutoscaler> mine = hpas.stream()
                    .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                            && name.equals(h.getSpec().getScaleTargetRef().getName()))
                    .toList();
            if (mine.size() != 1) {
                problems.add(id(d) + ": " + mine.size() + " HorizontalPodAutoscalers (autoscaling/v2) target it, expected 1");
            }
            int minReplicas = 1;
            for (HorizontalPodAutoscaler h : mine) {
                Integer min = h.getSpec().getMinReplicas();
                minReplicas = min == null ? 1 : min;
                int max = h.getSpec().getMaxReplicas();
                if (minReplicas > max) {
                    problems.add(id(h) + ": minReplicas " + minReplicas + " > maxReplicas " + max);
                }
                if (h.getSpec().getMetrics() == null || h.getSpec().getMetrics().isEmpty()) {
                    problems.add(id(h) + ": no metrics");
                }
                if (DEV.equals(r.overlay) && (minReplicas != 1 || max != 1)) {
                    problems.add(id(h) + ": dev runs single replicas (min = max = 1)");
                }
                if (!DEV.equals(r.overlay) && minReplicas < 2) {
                    problems.add(id(h) + ": minReplicas " + minReplicas + "; outside dev at least 2 (a drain or a crash must not take the service down)");
                }
            }
            List<PodDisruptionBudget> budgets = pdbs.stream()
                    .filter(p -> NetworkRules.matches(p.getSpec().getSelector(), podLabels(d))).toList();
            if (budgets.isEmpty()) {
                problems.add(id(d) + ": no PodDisruptionBudget selects its pods");
            }
            for (PodDisruptionBudget p : budgets) {
                if (p.getSpec().getMinAvailable() == null && p.getSpec().getMaxUnavailable() == null) {
                    problems.add(id(p) + ": neither minAvailable nor maxUnavailable");
                }
                IntOrString minAvailable = p.getSpec().getMinAvailable();
                if (minAvailable != null && minAvailable.getIntVal() != null && minAvailable.getIntVal() >= minReplicas) {
                    problems.add(id(p) + ": minAvailable " + minAvailable.getIntVal() + " blocks every eviction at " + minReplicas + " replicas");
                }
            }
        }
    }

    /**
     * The gateway publishes OPTIMADE at https://<its Ingress host>/optimade, and reads its federation
     * links from a mounted ConfigMap: at most one root, every link an https base URL other than its own.
     */
    void optimade(Rendered r, List<String> problems) {
        Optional<Deployment> gateway = r.named(Deployment.class, "gateway");
        if (gateway.isEmpty()) {
            return;
        }
        String id = id(gateway.get());
        Container c = gateway.get().getSpec().getTemplate().getSpec().getContainers().get(0);
        Env env = Env.of(r, c, problems, id);
        String base = env.literal("MIHUB_OPTIMADE_BASE_URL");
        Set<String> hosts = new TreeSet<>();
        r.all(Ingress.class).forEach(in -> in.getSpec().getRules().forEach(rule -> hosts.add(rule.getHost())));
        if (base == null || !base.startsWith("https://") || !base.endsWith("/optimade")
                || !hosts.contains(java.net.URI.create(base).getHost())) {
            problems.add(id + ": MIHUB_OPTIMADE_BASE_URL " + base + " is not https://<Ingress host>/optimade " + hosts);
        }
        Map<String, java.util.Properties> files = configFiles(r, gateway.get(), env, problems);
        if (env.literal("QUARKUS_CONFIG_LOCATIONS") == null) {
            problems.add(id + ": QUARKUS_CONFIG_LOCATIONS (the federation links file) is not set");
            return;
        }
        java.util.Properties properties = files.entrySet().stream().filter(e -> e.getKey().endsWith("/federation.properties"))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (properties == null) {
            problems.add(id + ": QUARKUS_CONFIG_LOCATIONS names no federation.properties (the OPTIMADE links)");
            return;
        }
        Set<String> ids = new TreeSet<>();
        properties.stringPropertyNames().stream().filter(key -> key.startsWith("mihub.optimade.links."))
                .forEach(key -> ids.add(key.substring("mihub.optimade.links.".length(), key.lastIndexOf('.'))));
        int roots = 0;
        for (String link : ids) {
            String prefix = "mihub.optimade.links." + link + ".";
            String type = properties.getProperty(prefix + "link-type", "child");
            roots += type.equals("root") ? 1 : 0;
            if (!Set.of("root", "child", "external", "providers").contains(type)) {
                problems.add(id + ": link " + link + " has link-type " + type);
            }
            String url = properties.getProperty(prefix + "base-url");
            if (url == null || !url.startsWith("https://") || url.equals(base)) {
                problems.add(id + ": link " + link + " has base-url " + url + " (https, not this node's own)");
            }
            for (String required : List.of("name", "description")) {
                if (properties.getProperty(prefix + required) == null) {
                    problems.add(id + ": link " + link + " lacks " + required);
                }
            }
        }
        if (roots > 1) {
            problems.add(id + ": " + roots + " root links; a federation has one root");
        }
    }

    /**
     * The properties files a module Deployment reads through QUARKUS_CONFIG_LOCATIONS (a comma list), each
     * a key of a ConfigMap mounted at its directory; a location that is not is a problem.
     */
    static Map<String, java.util.Properties> configFiles(Rendered r, Deployment d, Env env, List<String> problems) {
        Map<String, java.util.Properties> files = new LinkedHashMap<>();
        String locations = env.literal("QUARKUS_CONFIG_LOCATIONS");
        if (locations == null || locations.isBlank()) {
            return files;
        }
        Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        for (String location : locations.split(",")) {
            location = location.strip();
            String directory = location.substring(0, Math.max(0, location.lastIndexOf('/')));
            String file = location.substring(location.lastIndexOf('/') + 1);
            Optional<String> text = mountedConfigMapKeys(r, d.getSpec().getTemplate().getSpec(), c, directory).map(keys -> keys.get(file));
            if (text.isEmpty() || text.get() == null) {
                problems.add(id(d) + ": " + location + " is not a key of a ConfigMap mounted at " + directory);
                continue;
            }
            java.util.Properties properties = new java.util.Properties();
            try {
                properties.load(new java.io.StringReader(text.get()));
            } catch (IOException e) {
                problems.add(id(d) + ": " + location + " does not parse: " + e.getMessage());
                continue;
            }
            files.put(location, properties);
        }
        return files;
    }

    /** The files a container sees in a directory mounted from ConfigMaps (a configMap or projected volume). */
    static Optional<Map<String, String>> mountedConfigMapKeys(Rendered r, PodSpec pod, Container c, String directory) {
        Optional<VolumeMount> mount = c.getVolumeMounts() == null ? Optional.empty()
                : c.getVolumeMounts().stream().filter(m -> stripSlash(m.getMountPath()).equals(directory)).findFirst();
        Optional<Volume> volume = mount.flatMap(m -> pod.getVolumes() == null ? Optional.empty()
                : pod.getVolumes().stream().filter(v -> v.getName().equals(m.getName())).findFirst());
        if (volume.isEmpty()) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        if (volume.get().getConfigMap() != null) {
            names.add(volume.get().getConfigMap().getName());
        } else if (volume.get().getProjected() != null) {
            volume.get().getProjected().getSources().stream().filter(src -> src.getConfigMap() != null)
                    .forEach(src -> names.add(src.getConfigMap().getName()));
        } else {
            return Optional.empty();
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (String name : names) {
            r.named(ConfigMap.class, name).ifPresent(cm -> {
                if (cm.getData() != null) {
                    keys.putAll(cm.getData());
                }
            });
        }
        return Optional.of(keys);
    }

    void ingress(Rendered r, List<String> problems) {
        List<Ingress> ingresses = r.all(Ingress.class);
        Set<String> internal = new TreeSet<>();
        for (Deployment d : r.all(Deployment.class)) {
            if (!"gateway".equals(d.getMetadata().getName())) {
                r.all(Service.class).stream().filter(s -> s.getSpec().getSelector() != null
                                && podLabels(d).entrySet().containsAll(s.getSpec().getSelector().entrySet()))
                        .forEach(s -> internal.add(s.getMetadata().getName()));
            }
        }
        List<Ingress> toGateway = new ArrayList<>();
        for (Ingress in : ingresses) {
            String id = id(in);
            List<IngressBackend> backends = backends(in);
            Set<String> targets = new TreeSet<>();
            backends.forEach(b -> targets.add(b.getService() == null ? "<non-service backend>" : b.getService().getName()));
            Set<String> exposed = new TreeSet<>(targets);
            exposed.retainAll(internal);
            if (!exposed.isEmpty()) {
                problems.add(id + " exposes internal services " + exposed + "; only the gateway is public");
            }
            if (targets.contains("gateway")) {
                toGateway.add(in);
                if (!targets.equals(Set.of("gateway"))) {
                    problems.add(id + " mixes the gateway with " + targets);
                }
                Optional<Service> gw = r.named(Service.class, "gateway");
                for (IngressBackend b : backends) {
                    var port = b.getService() == null ? null : b.getService().getPort();
                    boolean ok = gw.isPresent() && port != null && gw.get().getSpec().getPorts().stream().anyMatch(sp ->
                            (port.getName() != null && port.getName().equals(sp.getName()))
                                    || (port.getNumber() != null && port.getNumber().equals(sp.getPort())));
                    if (!ok) {
                        problems.add(id + ": backend port " + port + " is not a port of the gateway Service");
                    }
                }
                String host = r.values().get("gatewayHost");
                if (in.getSpec().getRules() == null || in.getSpec().getRules().stream().noneMatch(rule -> Objects.equals(host, rule.getHost()))) {
                    problems.add(id + ": no rule for the gateway host " + host);
                }
            }
            if (in.getSpec().getIngressClassName() == null) {
                problems.add(id + ": no ingressClassName");
            }
            List<IngressTLS> tls = in.getSpec().getTls();
            if (tls == null || tls.isEmpty()) {
                problems.add(id + ": no TLS");
                continue;
            }
            Set<String> tlsHosts = new LinkedHashSet<>();
            for (IngressTLS t : tls) {
                if (t.getSecretName() == null || t.getSecretName().isBlank()) {
                    problems.add(id + ": a TLS entry without secretName");
                }
                if (t.getHosts() != null) {
                    tlsHosts.addAll(t.getHosts());
                }
            }
            for (IngressRule rule : in.getSpec().getRules() == null ? List.<IngressRule>of() : in.getSpec().getRules()) {
                if (rule.getHost() == null || !tlsHosts.contains(rule.getHost())) {
                    problems.add(id + ": host " + rule.getHost() + " is not covered by TLS");
                }
            }
        }
        if (toGateway.size() != 1) {
            problems.add(toGateway.size() + " Ingresses route to the gateway Service, expected 1");
        }
    }

    private static List<IngressBackend> backends(Ingress in) {
        List<IngressBackend> backends = new ArrayList<>();
        if (in.getSpec().getDefaultBackend() != null) {
            backends.add(in.getSpec().getDefaultBackend());
        }
        if (in.getSpec().getRules() != null) {
            for (IngressRule rule : in.getSpec().getRules()) {
                if (rule.getHttp() != null) {
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        backends.add(path.getBackend());
                    }
                }
            }
        }
        return backends;
    }

    void database(Rendered r, List<String> problems) {
        List<GenericKubernetesResource> clusters = r.custom("postgresql.cnpg.io/v1", "Cluster");
        if (clusters.size() != 1) {
            problems.add(clusters.size() + " CloudNativePG Clusters rendered, expected 1");
            return;
        }
        GenericKubernetesResource cluster = clusters.get(0);
        String name = cluster.getMetadata().getName();
        String id = id(cluster);
        Object instances = Maps.at(cluster, "spec", "instances");
        int n = instances instanceof Number num ? num.intValue() : 1;
        if (!DEV.equals(r.overlay) && n < 2) {
            problems.add(id + ": " + n + " instance(s); outside dev at least 2 (a standby to fail over to)");
        }
        if (Maps.string(cluster, "spec", "storage", "size") == null) {
            problems.add(id + ": no storage size");
        }
        if (Boolean.TRUE.equals(Maps.at(cluster, "spec", "enableSuperuserAccess"))) {
            problems.add(id + ": superuser access over the network is enabled");
        }
        Database db = Database.of(r, cluster, problems);
        for (String required : List.of("catalog", "prediction", "planning")) {
            if (!db.databases.containsKey(required)) {
                problems.add(id + ": no database " + required);
            }
        }
        db.databases.forEach((database, owner) -> {
            if (!db.roleSecrets.containsKey(owner)) {
                problems.add(id + ": database " + database + " is owned by " + owner + ", a role the cluster does not create");
            } else if (db.roleSecrets.get(owner) == null) {
                problems.add(id + ": role " + owner + " has no password secret");
            }
        });

        // Backups.
        Map<String, String> annotations = cluster.getMetadata().getAnnotations() == null ? Map.of() : cluster.getMetadata().getAnnotations();
        if ("disabled".equals(annotations.get(BACKUP_ANNOTATION))) {
            if (!DEV.equals(r.overlay)) {
                problems.add(id + ": backups are disabled; only the dev overlay may do that");
            }
            return;
        }
        boolean inTree = Maps.string(cluster, "spec", "backup", "barmanObjectStore", "destinationPath") != null;
        String storeName = null;
        for (Object plugin : Maps.list(cluster, "spec", "plugins")) {
            if (BARMAN_PLUGIN.equals(Maps.string(plugin, "name")) && Boolean.TRUE.equals(Maps.at(plugin, "isWALArchiver"))
                    && !Boolean.FALSE.equals(Maps.at(plugin, "enabled"))) {
                storeName = Maps.string(plugin, "parameters", "barmanObjectName");
            }
        }
        if (!inTree && storeName == null) {
            problems.add(id + ": no backup configured (Barman Cloud plugin as WAL archiver, or spec.backup.barmanObjectStore)");
            return;
        }
        if (storeName != null) {
            String wanted = storeName;
            Optional<GenericKubernetesResource> store = r.custom("barmancloud.cnpg.io/v1", "ObjectStore").stream()
                    .filter(s -> wanted.equals(s.getMetadata().getName())).findFirst();
            if (store.isEmpty()) {
                problems.add(id + ": the backup ObjectStore " + storeName + " is not rendered");
            } else {
                Map<?, ?> conf = Maps.map(store.get(), "spec", "configuration");
                String path = Maps.string(conf, "destinationPath");
                if (path == null || !path.matches("^(s3|gs|https)://.+")) {
                    problems.add(id(store.get()) + ": destinationPath " + path + " is not an object store URL");
                }
                boolean creds = conf.get("s3Credentials") != null || conf.get("azureCredentials") != null || conf.get("googleCredentials") != null;
                if (!creds) {
                    problems.add(id(store.get()) + ": no credentials (by secret reference)");
                }
                for (String key : List.of("accessKeyId", "secretAccessKey")) {
                    Object ref = Maps.at(conf, "s3Credentials", key);
                    if (conf.get("s3Credentials") instanceof Map<?, ?> s3 && !Boolean.TRUE.equals(s3.get("inheritFromIAMRole"))
                            && (Maps.string(ref, "name") == null || Maps.string(ref, "key") == null)) {
                        problems.add(id(store.get()) + ": s3Credentials." + key + " must name a secret and key");
                    }
                }
                if (Maps.string(store.get(), "spec", "retentionPolicy") == null) {
                    problems.add(id(store.get()) + ": no retentionPolicy");
                }
            }
        }
        boolean scheduled = r.custom("postgresql.cnpg.io/v1", "ScheduledBackup").stream().anyMatch(s ->
                name.equals(Maps.string(s, "spec", "cluster", "name")) && Maps.string(s, "spec", "schedule") != null
                        && (!"plugin".equals(Maps.string(s, "spec", "method")) || BARMAN_PLUGIN.equals(Maps.string(s, "spec", "pluginConfiguration", "name"))));
        if (!scheduled) {
            problems.add(id + ": no ScheduledBackup for the cluster");
        }
    }

    void keycloak(Rendered r, List<String> problems) {
        List<GenericKubernetesResource> keycloaks = r.custom("k8s.keycloak.org/v2alpha1", "Keycloak");
        List<GenericKubernetesResource> imports = r.custom("k8s.keycloak.org/v2alpha1", "KeycloakRealmImport");
        if (keycloaks.size() > 1) {
            problems.add(keycloaks.size() + " Keycloak resources, expected at most 1");
        }
        if (keycloaks.isEmpty()) {
            if (!imports.isEmpty()) {
                problems.add("a KeycloakRealmImport without a Keycloak");
            }
            return;
        }
        GenericKubernetesResource kc = keycloaks.get(0);
        String name = kc.getMetadata().getName();
        String id = id(kc);
        Optional<GenericKubernetesResource> cluster = r.custom("postgresql.cnpg.io/v1", "Cluster").stream().findFirst();
        if (!"postgres".equals(Maps.string(kc, "spec", "db", "vendor"))) {
            problems.add(id + ": database vendor is not postgres");
        }
        if (cluster.isPresent()) {
            Database db = Database.of(r, cluster.get(), new ArrayList<>());
            String host = Maps.string(kc, "spec", "db", "host");
            if (!(db.cluster + "-rw").equals(host)) {
                problems.add(id + ": database host " + host + " is not " + db.cluster + "-rw");
            }
            String database = Maps.string(kc, "spec", "db", "database");
            if (database == null || !db.databases.containsKey(database)) {
                problems.add(id + ": database " + database + " is not created by the cluster");
            } else if (!Objects.equals(db.roleSecrets.get(db.databases.get(database)), Maps.string(kc, "spec", "db", "passwordSecret", "name"))) {
                problems.add(id + ": passwordSecret is not the secret of the database owner " + db.databases.get(database));
            }
        }
        for (String ref : List.of("usernameSecret", "passwordSecret")) {
            if (Maps.string(kc, "spec", "db", ref, "name") == null || Maps.string(kc, "spec", "db", ref, "key") == null) {
                problems.add(id + ": db." + ref + " must name a secret and key");
            }
        }
        String hostname = Maps.string(kc, "spec", "hostname", "hostname");
        String keycloakHost = r.values().get("keycloakHost");
        if (!("https://" + keycloakHost).equals(stripSlash(hostname))) {
            problems.add(id + ": hostname " + hostname + " is not https://" + keycloakHost);
        }
        if (!Boolean.TRUE.equals(Maps.at(kc, "spec", "http", "httpEnabled")) && Maps.string(kc, "spec", "http", "tlsSecret") == null) {
            problems.add(id + ": neither http.httpEnabled nor http.tlsSecret");
        }
        boolean published = r.all(Ingress.class).stream().anyMatch(in -> backends(in).stream()
                .anyMatch(b -> b.getService() != null && (name + "-service").equals(b.getService().getName()))
                && in.getSpec().getRules().stream().anyMatch(rule -> Objects.equals(keycloakHost, rule.getHost())));
        if (!published) {
            problems.add(id + ": no Ingress publishes " + name + "-service at " + keycloakHost);
        }

        List<GenericKubernetesResource> mine = imports.stream()
                .filter(i -> name.equals(Maps.string(i, "spec", "keycloakCRName"))).toList();
        if (mine.isEmpty()) {
            problems.add(id + ": no KeycloakRealmImport for it");
            return;
        }
        Object realm = Maps.at(mine.get(0), "spec", "realm");
        String iid = id(mine.get(0));
        if (!REALM.equals(Maps.string(realm, "realm"))) {
            problems.add(iid + ": realm is " + Maps.string(realm, "realm") + ", not " + REALM);
        }
        if (!Boolean.TRUE.equals(Maps.at(realm, "enabled"))) {
            problems.add(iid + ": realm not enabled");
        }
        Set<String> roles = new TreeSet<>();
        for (Object role : Maps.list(realm, "roles", "realm")) {
            roles.add(Maps.string(role, "name"));
        }
        if (!roles.containsAll(REALM_ROLES)) {
            problems.add(iid + ": realm roles " + roles + " lack some of " + REALM_ROLES);
        }
        if (!Maps.list(realm, "users").isEmpty()) {
            problems.add(iid + ": the realm import carries users; create people in Keycloak, not in the repository");
        }
        boolean audience = false;
        boolean org = false;
        for (Object client : Maps.list(realm, "clients")) {
            for (Object mapper : Maps.list(client, "protocolMappers")) {
                audience |= "oidc-audience-mapper".equals(Maps.string(mapper, "protocolMapper"))
                        && AUDIENCE.equals(Maps.string(mapper, "config", "included.custom.audience"));
                org |= "org".equals(Maps.string(mapper, "config", "claim.name"));
            }
            if (Boolean.TRUE.equals(Maps.at(client, "directAccessGrantsEnabled"))) {
                problems.add(iid + ": client " + Maps.string(client, "clientId") + " allows the password grant");
            }
            for (Object uri : Maps.list(client, "redirectUris")) {
                String u = String.valueOf(uri);
                if (u.startsWith("http://") || "*".equals(u)) {
                    problems.add(iid + ": client " + Maps.string(client, "clientId") + " redirects to " + u);
                }
            }
        }
        if (!audience) {
            problems.add(iid + ": no client adds the audience " + AUDIENCE + " the services require");
        }
        if (!org) {
            problems.add(iid + ": no client maps the org claim");
        }
        String gatewayHost = r.values().get("gatewayHost");
        boolean portalRedirect = Maps.list(realm, "clients").stream().flatMap(c -> Maps.list(c, "redirectUris").stream())
                .anyMatch(u -> String.valueOf(u).startsWith("https://" + gatewayHost + "/"));
        if (!portalRedirect) {
            problems.add(iid + ": no client redirects to https://" + gatewayHost + "/");
        }
    }

    // ------------------------------------------------------------------ federation (issue 24)

    static final String NATS = "mihub-nats";
    static final String HUB_NODE = "hub";
    /** The hub's JetStream domain: nodes reach its JetStream through their leaf node as $JS.<domain>.API. */
    static final String JS_DOMAIN = "hub";
    static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,40}");
    /** The official NATS image, pinned to a release (a tag x.y.z[-variant]) or a digest. */
    static final Pattern NATS_IMAGE = Pattern.compile("^(docker\\.io/(library/)?)?nats(:\\d+\\.\\d+\\.\\d+(-[a-z0-9.]+)?)?(@sha256:[0-9a-f]{64})?$");
    static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    static boolean isNats(HasMetadata o) {
        Map<String, String> labels = o.getMetadata().getLabels();
        return NATS.equals(o.getMetadata().getName()) || (labels != null && NATS.equals(labels.get("app.kubernetes.io/name")));
    }

    static boolean selectsNats(Service s) {
        return s.getSpec().getSelector() != null && NATS.equals(s.getSpec().getSelector().get("app.kubernetes.io/name"));
    }

    /** The NATS server of the site: the hub's StatefulSet or a node's leaf Deployment (kind, pod spec, pod labels). */
    record NatsWorkload(HasMetadata object, PodSpec pod, Map<String, String> labels, boolean hub) {
    }

    static List<NatsWorkload> natsWorkloads(Rendered r) {
        List<NatsWorkload> found = new ArrayList<>();
        for (StatefulSet s : r.all(StatefulSet.class)) {
            if (isNats(s)) {
                Map<String, String> labels = s.getSpec().getTemplate().getMetadata().getLabels();
                found.add(new NatsWorkload(s, s.getSpec().getTemplate().getSpec(), labels == null ? Map.of() : labels, true));
            }
        }
        for (Deployment d : r.all(Deployment.class)) {
            if (isNats(d)) {
                found.add(new NatsWorkload(d, d.getSpec().getTemplate().getSpec(), podLabels(d), false));
            }
        }
        return found;
    }

    /** Pod labels of every workload (the services and the NATS server), by a readable name. */
    static Map<String, Map<String, String>> workloadPods(Rendered r) {
        Map<String, Map<String, String>> pods = new LinkedHashMap<>();
        for (Deployment d : r.all(Deployment.class)) {
            pods.put(id(d), podLabels(d));
        }
        for (NatsWorkload n : natsWorkloads(r)) {
            pods.put(id(n.object()), n.labels());
        }
        return pods;
    }

    /** Nothing runs that this test does not check: the four services and, with the federation, the NATS server. */
    void workloads(Rendered r, List<String> problems) {
        Set<String> modules = new TreeSet<>(serviceModules());
        for (Deployment d : r.all(Deployment.class)) {
            if (!modules.contains(d.getMetadata().getName()) && !isNats(d)) {
                problems.add(id(d) + " is neither a service module nor the NATS server; nothing checks it");
            }
        }
        for (StatefulSet s : r.all(StatefulSet.class)) {
            if (!isNats(s)) {
                problems.add(id(s) + " is not the NATS server; nothing checks it");
            }
        }
        for (HasMetadata o : r.objects) {
            if (Set.of("DaemonSet", "ReplicaSet", "Pod", "Job", "CronJob", "ReplicationController").contains(o.getKind())) {
                problems.add(id(o) + ": a workload kind nothing checks");
            }
        }
        List<NatsWorkload> nats = natsWorkloads(r);
        if (nats.size() > 1) {
            problems.add(nats.size() + " NATS servers rendered, expected at most 1");
        }
        if (nats.stream().anyMatch(n -> !NATS.equals(n.object().getMetadata().getName()))) {
            problems.add("the NATS server is not named " + NATS);
        }
    }

    /** What a node's NATS user may publish (at the hub's server, through its leaf node) and subscribe to. */
    static Set<String> nodePublish(String node) {
        String api = "$JS." + JS_DOMAIN + ".API.";
        String consumer = "node-" + node;
        String vocabulary = "vocabulary-" + node;
        return new TreeSet<>(List.of(
                "mihub.cards." + node,
                api + "INFO",
                api + "STREAM.INFO.MIHUB_CONTROL",
                api + "CONSUMER.CREATE.MIHUB_CONTROL." + consumer,
                api + "CONSUMER.CREATE.MIHUB_CONTROL." + consumer + ".mihub.control." + node,
                api + "CONSUMER.DURABLE.CREATE.MIHUB_CONTROL." + consumer,
                api + "CONSUMER.INFO.MIHUB_CONTROL." + consumer,
                api + "CONSUMER.MSG.NEXT.MIHUB_CONTROL." + consumer,
                "$JS.ACK.MIHUB_CONTROL." + consumer + ".>",
                "$JS.ACK." + JS_DOMAIN + ".*.MIHUB_CONTROL." + consumer + ".>",
                api + "STREAM.INFO.MIHUB_VOCABULARY",
                api + "CONSUMER.CREATE.MIHUB_VOCABULARY." + vocabulary,
                api + "CONSUMER.CREATE.MIHUB_VOCABULARY." + vocabulary + ".mihub.vocabulary.*",
                api + "CONSUMER.DURABLE.CREATE.MIHUB_VOCABULARY." + vocabulary,
                api + "CONSUMER.INFO.MIHUB_VOCABULARY." + vocabulary,
                api + "CONSUMER.MSG.NEXT.MIHUB_VOCABULARY." + vocabulary,
                "$JS.ACK.MIHUB_VOCABULARY." + vocabulary + ".>",
                "$JS.ACK." + JS_DOMAIN + ".*.MIHUB_VOCABULARY." + vocabulary + ".>"));
    }

    static Set<String> nodeSubscribe(String node) {
        return new TreeSet<>(List.of("_INBOX.>", "mihub.control." + node));
    }

    void nats(Rendered r, List<String> problems) {
        List<NatsWorkload> servers = natsWorkloads(r);
        boolean federation = r.named(ConfigMap.class, "mihub-federation").isPresent();
        if (servers.isEmpty()) {
            if (federation) {
                problems.add("the federation is configured (ConfigMap mihub-federation) but no NATS server (nats-hub or nats-leaf) is rendered");
            }
            return;
        }
        Map<String, String> values = r.values();
        NetworkRules rules = new NetworkRules(r.all(NetworkPolicy.class));
        for (NatsWorkload n : servers) {
            String id = id(n.object());
            PodSpec pod = n.pod();
            podSecurity(id, pod, problems);
            Optional<ServiceAccount> sa = r.named(ServiceAccount.class, pod.getServiceAccountName() == null ? "" : pod.getServiceAccountName());
            if (sa.isEmpty() || !Boolean.FALSE.equals(sa.get().getAutomountServiceAccountToken())) {
                problems.add(id + ": its service account " + pod.getServiceAccountName() + " is not rendered with automountServiceAccountToken false");
            }
            if (pod.getContainers().size() != 1) {
                problems.add(id + ": expected one container (nats-server)");
                continue;
            }
            Container c = pod.getContainers().get(0);
            String cid = id + " container " + c.getName();
            containerSecurity(cid, pod.getSecurityContext(), c, problems);
            resources(cid, c.getResources(), problems);
            tmp(cid, pod, c, problems);
            if (c.getImage() == null || !NATS_IMAGE.matcher(c.getImage()).matches() || imageTag(c.getImage()) == null) {
                problems.add(cid + ": image " + c.getImage() + " is not the official nats image pinned to a release (nats:x.y.z-alpine) or digest");
            }
            ContainerPort monitor = resolvePort(c, new IntOrString("monitor"));
            if (monitor == null || monitor.getContainerPort() != 8222) {
                problems.add(cid + ": no container port monitor (8222) for the probes");
            }
            for (Map.Entry<String, Probe> probe : new TreeMap<>(Map.of("liveness", Optional.ofNullable(c.getLivenessProbe()),
                    "readiness", Optional.ofNullable(c.getReadinessProbe()), "startup", Optional.ofNullable(c.getStartupProbe())))
                    .entrySet().stream().filter(e -> e.getValue().isPresent())
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())).entrySet()) {
                HTTPGetAction get = probe.getValue().getHttpGet();
                if (get == null || get.getPath() == null || !get.getPath().startsWith("/healthz") || resolvePort(c, get.getPort()) != monitor) {
                    problems.add(cid + ": " + probe.getKey() + " probe is not GET /healthz on the monitor port");
                }
            }
            if (c.getLivenessProbe() == null || c.getReadinessProbe() == null) {
                problems.add(cid + ": needs a liveness and a readiness probe");
            }
            // In-namespace reachability: only catalog-service opens client connections; NATS reaches no service nor the database.
            for (Deployment d : moduleDeployments(r)) {
                boolean catalog = "catalog-service".equals(d.getMetadata().getName());
                if (rules.allows(podLabels(d), n.labels(), 4222, "client") != catalog) {
                    problems.add(id(d) + (catalog ? " cannot reach" : " may reach") + " the NATS server on 4222");
                }
                ContainerPort http = resolvePort(d.getSpec().getTemplate().getSpec().getContainers().get(0), new IntOrString("http"));
                if (http != null && rules.allows(n.labels(), podLabels(d), http.getContainerPort(), "http")) {
                    problems.add(id + " may reach " + id(d));
                }
            }
            if (rules.allows(n.labels(), Map.of("cnpg.io/cluster", "mihub-db", "cnpg.io/podRole", "instance"), 5432, "postgresql")) {
                problems.add(id + " may reach PostgreSQL");
            }
            natsServices(r, n, c, values, problems);
            natsConfiguration(r, n, c, values, problems);
        }
    }

    private static void natsServices(Rendered r, NatsWorkload n, Container c, Map<String, String> values, List<String> problems) {
        boolean client = false;
        for (Service s : r.all(Service.class)) {
            if (!selectsNats(s)) {
                continue;
            }
            String id = id(s);
            for (ServicePort p : s.getSpec().getPorts()) {
                ContainerPort target = resolvePort(c, p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort());
                if (target == null || !Objects.equals(target.getContainerPort(), p.getPort())) {
                    problems.add(id + ": port " + p.getPort() + " is not the same container port of " + id(n.object()));
                }
            }
            Set<Integer> ports = new TreeSet<>();
            s.getSpec().getPorts().forEach(p -> ports.add(p.getPort()));
            if ("LoadBalancer".equals(s.getSpec().getType())) {
                if (!n.hub() || !"mihub-nats-leaf".equals(s.getMetadata().getName()) || !ports.equals(Set.of(7422))) {
                    problems.add(id + ": only the hub's leaf port (Service mihub-nats-leaf, 7422 alone) is published");
                }
                if (!"Local".equals(s.getSpec().getExternalTrafficPolicy())) {
                    problems.add(id + ": externalTrafficPolicy must be Local (the NetworkPolicy checks the nodes' source addresses)");
                }
                if (!List.of(values.get("natsLeafCidr")).equals(s.getSpec().getLoadBalancerSourceRanges())) {
                    problems.add(id + ": loadBalancerSourceRanges " + s.getSpec().getLoadBalancerSourceRanges() + " is not [natsLeafCidr]");
                }
            } else if (s.getSpec().getType() != null && !"ClusterIP".equals(s.getSpec().getType())) {
                problems.add(id + ": type " + s.getSpec().getType());
            } else {
                if (ports.contains(7422) || ports.contains(8222)) {
                    problems.add(id + ": the in-cluster Service publishes the leaf or monitoring port");
                }
                client |= NATS.equals(s.getMetadata().getName()) && ports.equals(Set.of(4222));
            }
        }
        if (!client) {
            problems.add("no ClusterIP Service " + NATS + " on 4222 for catalog-service");
        }
    }

    private static void natsConfiguration(Rendered r, NatsWorkload n, Container c, Map<String, String> values, List<String> problems) {
        String id = id(n.object());
        List<String> command = new ArrayList<>();
        if (c.getCommand() != null) {
            command.addAll(c.getCommand());
        }
        if (c.getArgs() != null) {
            command.addAll(c.getArgs());
        }
        int flag = Math.max(command.indexOf("--config"), command.indexOf("-c"));
        if (flag < 0 || flag + 1 >= command.size()) {
            problems.add(id + ": nats-server is not started with --config <file>");
            return;
        }
        String file = command.get(flag + 1);
        String directory = file.substring(0, file.lastIndexOf('/'));
        Optional<Map<String, String>> files = mountedConfigMapKeys(r, n.pod(), c, directory);
        String text = files.map(f -> f.get(file.substring(file.lastIndexOf('/') + 1))).orElse(null);
        if (text == null) {
            problems.add(id + ": " + file + " is not a key of a ConfigMap mounted at " + directory);
            return;
        }
        Map<String, Object> conf;
        try {
            conf = NatsConf.parse(text, file, included -> files.get().get(included));
        } catch (IllegalArgumentException e) {
            problems.add(id + ": " + e.getMessage());
            return;
        }
        Env env = Env.of(r, c, problems, id);
        Set<String> secretEnvFrom = new TreeSet<>();
        if (c.getEnvFrom() != null) {
            c.getEnvFrom().stream().filter(f -> f.getSecretRef() != null).forEach(f -> secretEnvFrom.add(f.getSecretRef().getName()));
        }
        // Every variable is the container's environment; every password is a variable (from a Secret).
        List<Object[]> passwords = new ArrayList<>();
        walkConf(conf, "", (path, value) -> {
            if (value instanceof NatsConf.Variable v) {
                boolean provided = env.get(v.name()) != null || (v.name().startsWith("NATS_PASSWORD_") && !secretEnvFrom.isEmpty());
                if (!provided) {
                    problems.add(id + ": " + path + " uses $" + v.name() + ", which the container's environment does not provide");
                }
            }
            if (path.endsWith(".password") || path.equals("password")) {
                passwords.add(new Object[]{path, value});
            }
        });
        for (Object[] p : passwords) {
            Object value = p[1];
            boolean fromSecret = value instanceof NatsConf.Variable v
                    && (env.get(v.name()) != null ? env.get(v.name()).secretName() != null : !secretEnvFrom.isEmpty());
            if (!fromSecret) {
                problems.add(id + ": " + p[0] + " is not a variable taken from a Secret");
            }
        }
        if (Maps.at(conf, "cluster") != null || Maps.at(conf, "gateway") != null) {
            problems.add(id + ": cluster routes or gateways: the NetworkPolicies allow none");
        }
        if (n.hub()) {
            hubConfiguration(id, (StatefulSet) n.object(), c, conf, problems);
        } else {
            leafConfiguration(id, env, conf, values, problems);
        }
    }

    private static void hubConfiguration(String id, StatefulSet set, Container c, Map<String, Object> conf, List<String> problems) {
        if (!JS_DOMAIN.equals(Maps.string(conf, "jetstream", "domain"))) {
            problems.add(id + ": jetstream.domain is " + Maps.string(conf, "jetstream", "domain") + ", not " + JS_DOMAIN
                    + " (the nodes' leaf nodes reach JetStream as $JS." + JS_DOMAIN + ".API)");
        }
        String store = Maps.string(conf, "jetstream", "store_dir");
        Set<String> claims = new TreeSet<>();
        if (set.getSpec().getVolumeClaimTemplates() != null) {
            set.getSpec().getVolumeClaimTemplates().forEach(t -> claims.add(t.getMetadata().getName()));
        }
        boolean persistent = store != null && c.getVolumeMounts() != null && c.getVolumeMounts().stream()
                .anyMatch(m -> claims.contains(m.getName()) && (store + "/").startsWith(stripSlash(m.getMountPath()) + "/"));
        if (!persistent) {
            problems.add(id + ": jetstream.store_dir " + store + " is not on a volume of its volumeClaimTemplates");
        }
        if (!"7422".equals(Maps.string(conf, "leafnodes", "port"))) {
            problems.add(id + ": leafnodes.port is not 7422");
        }
        if (Maps.string(conf, "leafnodes", "tls", "cert_file") == null || Maps.string(conf, "leafnodes", "tls", "key_file") == null) {
            problems.add(id + ": the leaf port has no TLS certificate (the nodes' passwords cross the internet)");
        }
        if (Maps.at(conf, "leafnodes", "authorization") != null) {
            problems.add(id + ": leafnodes.authorization: its users carry no permissions; leaf nodes must log in as the users of authorization{}");
        }
        List<?> users = Maps.list(conf, "authorization", "users");
        if (users.isEmpty()) {
            problems.add(id + ": authorization.users is empty");
        }
        Set<String> names = new TreeSet<>();
        for (Object user : users) {
            String name = Maps.string(user, "user");
            String where = id + ": NATS user " + name;
            if (name == null || !names.add(name)) {
                problems.add(id + ": a user without a name, or twice: " + name);
                continue;
            }
            Object password = Maps.at(user, "password");
            String expectedVariable = "NATS_PASSWORD_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            if (!(password instanceof NatsConf.Variable v) || !v.name().equals(expectedVariable)) {
                problems.add(where + ": password must be $" + expectedVariable);
            }
            if (HUB_NODE.equals(name)) {
                continue; // the hub's catalog: every subject
            }
            if (!NODE_ID.matcher(name).matches()) {
                problems.add(where + ": not a node id");
            }
            Map<?, ?> permissions = Maps.map(user, "permissions");
            Set<String> keys = new TreeSet<>();
            permissions.keySet().forEach(k -> keys.add(String.valueOf(k)));
            if (!keys.equals(Set.of("publish", "subscribe"))) {
                problems.add(where + ": permissions must be exactly publish and subscribe, found " + keys);
            }
            for (String direction : List.of("publish", "subscribe")) {
                Map<?, ?> rule = Maps.map(permissions, direction);
                if (!rule.keySet().equals(Set.of("allow"))) {
                    problems.add(where + ": " + direction + " must be an allow list only, found " + rule.keySet());
                }
                Set<String> allowed = new TreeSet<>();
                Maps.list(rule, "allow").forEach(s -> allowed.add(String.valueOf(s)));
                Set<String> expected = "publish".equals(direction) ? nodePublish(name) : nodeSubscribe(name);
                if (!allowed.equals(expected)) {
                    Set<String> extra = new TreeSet<>(allowed);
                    extra.removeAll(expected);
                    Set<String> missing = new TreeSet<>(expected);
                    missing.removeAll(allowed);
                    problems.add(where + ": may " + direction + " " + (extra.isEmpty() ? "" : "more than its own subjects " + extra + " ")
                            + (missing.isEmpty() ? "" : "and lacks " + missing));
                }
            }
        }
        if (!names.contains(HUB_NODE)) {
            problems.add(id + ": no user " + HUB_NODE + " (the hub's catalog-service)");
        }
    }

    private static void leafConfiguration(String id, Env env, Map<String, Object> conf, Map<String, String> values, List<String> problems) {
        if (Maps.at(conf, "jetstream") != null) {
            problems.add(id + ": a leaf node keeps no JetStream of its own (the cards live at the hub)");
        }
        if (!JS_DOMAIN.equals(Maps.string(conf, "default_js_domain", "$G"))) {
            problems.add(id + ": default_js_domain.$G is not " + JS_DOMAIN + " (the catalog's JetStream calls would not cross the leaf connection)");
        }
        List<?> remotes = Maps.list(conf, "leafnodes", "remotes");
        if (remotes.size() != 1) {
            problems.add(id + ": " + remotes.size() + " leaf remotes, expected 1 (the hub)");
        } else {
            Object url = Maps.at(remotes.get(0), "url");
            if (!(url instanceof NatsConf.Variable v) || !"NATS_HUB_URL".equals(v.name())) {
                problems.add(id + ": the remote's url is not $NATS_HUB_URL");
            }
            if (Maps.at(remotes.get(0), "tls") == null) {
                problems.add(id + ": the remote has no tls block (TLS whatever the other side announces)");
            }
        }
        if (Maps.at(conf, "leafnodes", "port") != null) {
            problems.add(id + ": a leaf node accepts no leaf connections itself");
        }
        String url = env.literal("NATS_HUB_URL");
        if (!"tls://$(NATS_USER):$(NATS_PASSWORD)@$(NATS_HUB_HOST):7422".equals(url)) {
            problems.add(id + ": NATS_HUB_URL is " + url + ", not tls://$(NATS_USER):$(NATS_PASSWORD)@$(NATS_HUB_HOST):7422");
        }
        if (!Objects.equals(values.get("hubNatsHost"), env.literal("NATS_HUB_HOST"))) {
            problems.add(id + ": NATS_HUB_HOST " + env.literal("NATS_HUB_HOST") + " is not the hubNatsHost value " + values.get("hubNatsHost"));
        }
        if (!Objects.equals(values.get("federationNode"), env.literal("NATS_USER"))) {
            problems.add(id + ": NATS_USER " + env.literal("NATS_USER") + " is not this node's id " + values.get("federationNode"));
        }
        Env.Value password = env.get("NATS_PASSWORD");
        if (password == null || password.secretName() == null) {
            problems.add(id + ": NATS_PASSWORD must come from a secretKeyRef");
        }
        for (String key : List.of("user", "password")) {
            if (!(Maps.at(conf, "authorization", key) instanceof NatsConf.Variable)) {
                problems.add(id + ": authorization." + key + " must be the node's NATS user (a variable)");
            }
        }
    }

    private static void walkConf(Object node, String path, BiConsumer<String, Object> visitor) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walkConf(v, path.isEmpty() ? String.valueOf(k) : path + "." + k, visitor));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walkConf(list.get(i), path + "[" + i + "]", visitor);
            }
        } else {
            visitor.accept(path, node);
        }
    }

    /** A properties value with ${NAME} taken from the container's environment; null when one is missing. */
    static String resolve(String value, Env env) {
        if (value == null) {
            return null;
        }
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String literal = env.literal(m.group(1));
            if (literal == null) {
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(literal));
        }
        m.appendTail(out);
        return out.toString();
    }

    void federation(Rendered r, List<String> problems) {
        Optional<ConfigMap> fed = r.named(ConfigMap.class, "mihub-federation");
        List<Deployment> modules = moduleDeployments(r);
        if (fed.isEmpty()) {
            for (Deployment d : modules) {
                Env env = Env.of(r, d.getSpec().getTemplate().getSpec().getContainers().get(0), new ArrayList<>(), id(d));
                configFiles(r, d, env, new ArrayList<>()).forEach((file, properties) -> properties.stringPropertyNames().stream()
                        .filter(k -> k.startsWith("mihub.auth.trust") || k.startsWith("mihub.federation"))
                        .forEach(k -> problems.add(id(d) + ": " + file + " sets " + k + " without the federation components")));
            }
            return;
        }
        Map<String, String> values = r.values();
        Map<String, String> data = fed.get().getData() == null ? Map.of() : fed.get().getData();
        String node = data.get("MIHUB_FEDERATION_NODE");
        boolean hub = "true".equals(data.get("MIHUB_FEDERATION_HUB"));
        if (node == null || !NODE_ID.matcher(node).matches() || !node.equals(values.get("federationNode"))) {
            problems.add("mihub-federation: MIHUB_FEDERATION_NODE " + node + " is not a node id equal to the federationNode value");
            return;
        }
        if (hub != HUB_NODE.equals(node)) {
            problems.add("mihub-federation: node " + node + " with MIHUB_FEDERATION_HUB=" + hub + " (the hub's id is " + HUB_NODE + ", and only the hub's)");
        }
        List<NatsWorkload> nats = natsWorkloads(r);
        if (nats.size() != 1 || nats.get(0).hub() != hub) {
            problems.add((hub ? "the hub needs nats-hub (a StatefulSet)" : "a node needs nats-leaf (a Deployment)") + "; found " + nats.size() + " NATS server(s)");
        }
        String organisations = values.get("federationOrganisations");
        if (organisations == null || !organisations.matches("[A-Za-z0-9._-]{1,64}(,[A-Za-z0-9._-]{1,64})*")) {
            problems.add("the federationOrganisations value " + organisations + " is not a comma list of organisation ids");
        }
        Optional<GenericKubernetesResource> keycloak = r.custom("k8s.keycloak.org/v2alpha1", "Keycloak").stream().findFirst();
        String consortiumRealm = hub
                ? keycloak.map(kc -> "http://" + kc.getMetadata().getName() + "-service:" + Objects.requireNonNullElse(Maps.string(kc, "spec", "http", "httpPort"), "8080") + "/realms/" + REALM).orElse("<no Keycloak at the hub>")
                : "https://" + values.get("hubKeycloakHost") + "/realms/" + REALM;
        if (!hub && keycloak.isEmpty()) {
            problems.add("a federation node runs its own Keycloak (the keycloak component): its realm is the default tenant");
        }
        for (Deployment d : modules) {
            String module = d.getMetadata().getName();
            String id = id(d);
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            Env env = Env.of(r, c, problems, id);
            if (!node.equals(env.literal("MIHUB_FEDERATION_NODE"))) {
                problems.add(id + ": mihub.federation.node is " + env.literal("MIHUB_FEDERATION_NODE") + ", not " + node);
            }
            Map<String, java.util.Properties> files = configFiles(r, d, env, problems);
            java.util.Properties all = new java.util.Properties();
            files.values().forEach(all::putAll);
            boolean trustEntries = all.stringPropertyNames().stream().anyMatch(k -> k.startsWith("mihub.auth.trust"));
            if (hub) {
                if (trustEntries) {
                    problems.add(id + ": the hub has one tenant (the consortium realm) and no trust entries");
                }
            } else {
                String trustDefault = resolve(all.getProperty("mihub.auth.trust.\"Default\""), env);
                if (!Objects.equals(organisations, trustDefault)) {
                    problems.add(id + ": mihub.auth.trust.\"Default\" is " + trustDefault + ", not the node's organisations " + organisations
                            + " (only the node's own realm may assert them)");
                }
                if (!"*".equals(all.getProperty("mihub.auth.trust.consortium"))) {
                    problems.add(id + ": mihub.auth.trust.consortium is " + all.getProperty("mihub.auth.trust.consortium") + ", not *");
                }
                Set<String> tenants = new TreeSet<>();
                all.stringPropertyNames().stream().filter(k -> k.startsWith("mihub.auth.trust."))
                        .forEach(k -> tenants.add(k.substring("mihub.auth.trust.".length())));
                if (!tenants.equals(Set.of("\"Default\"", "consortium"))) {
                    problems.add(id + ": trust entries for " + tenants + ", expected \"Default\" and consortium");
                }
                String server = resolve(all.getProperty("quarkus.oidc.consortium.auth-server-url"), env);
                if (!consortiumRealm.equals(server)) {
                    problems.add(id + ": quarkus.oidc.consortium.auth-server-url is " + server + ", not the hub's realm " + consortiumRealm);
                }
                if (Objects.equals(server, env.literal("QUARKUS_OIDC_TOKEN_ISSUER"))) {
                    problems.add(id + ": the consortium realm is the default tenant's issuer too; the node's own realm must be the default");
                }
                if (!AUDIENCE.equals(all.getProperty("quarkus.oidc.consortium.token.audience"))) {
                    problems.add(id + ": quarkus.oidc.consortium.token.audience is not " + AUDIENCE);
                }
                if (!"service".equals(all.getProperty("quarkus.oidc.consortium.application-type"))) {
                    problems.add(id + ": quarkus.oidc.consortium.application-type is not service");
                }
            }
            if ("catalog-service".equals(module)) {
                if (!String.valueOf(hub).equals(env.literal("MIHUB_FEDERATION_HUB"))) {
                    problems.add(id + ": mihub.federation.hub is " + env.literal("MIHUB_FEDERATION_HUB") + ", expected " + hub);
                }
                if (!("nats://" + NATS + ":4222").equals(env.literal("MIHUB_FEDERATION_NATS_URL"))) {
                    problems.add(id + ": MIHUB_FEDERATION_NATS_URL is not nats://" + NATS + ":4222");
                }
                if (!node.equals(env.literal("MIHUB_FEDERATION_NATS_USER"))) {
                    problems.add(id + ": the NATS user is " + env.literal("MIHUB_FEDERATION_NATS_USER") + ", not the node id " + node);
                }
                Env.Value password = env.get("MIHUB_FEDERATION_NATS_PASSWORD");
                if (password == null || password.secretName() == null) {
                    problems.add(id + ": MIHUB_FEDERATION_NATS_PASSWORD must come from a secretKeyRef");
                }
            }
            if ("gateway".equals(module)) {
                if (!String.valueOf(hub).equals(env.literal("MIHUB_FEDERATION_HUB"))) {
                    problems.add(id + ": mihub.federation.hub is " + env.literal("MIHUB_FEDERATION_HUB") + ", expected " + hub);
                }
                String publicUrl = env.literal("MIHUB_FEDERATION_PUBLIC_URL");
                if (!("https://" + values.get("gatewayHost")).equals(publicUrl)) {
                    problems.add(id + ": mihub.federation.public-url " + publicUrl + " is not https://" + values.get("gatewayHost"));
                }
                String hubUrl = env.literal("MIHUB_FEDERATION_HUB_URL");
                String expectedHubUrl = hub ? "http://gateway:" + MODULES.httpPort("gateway") : values.get("federationHubUrl");
                if (hubUrl == null || !hubUrl.equals(expectedHubUrl) || (!hub && !hubUrl.startsWith("https://"))) {
                    problems.add(id + ": mihub.federation.hub-url " + hubUrl + " is not " + (hub ? expectedHubUrl + " (the hub calls itself in-cluster)" : "the https federationHubUrl value"));
                }
                if (!Objects.equals(organisations, env.literal("MIHUB_FEDERATION_ORGANISATIONS"))) {
                    problems.add(id + ": mihub.federation.organisations is not the federationOrganisations value");
                }
                String clientId = resolve(all.getProperty("quarkus.oidc-client.federation.client-id"), env);
                if (!("mihub-node-" + node).equals(clientId)) {
                    problems.add(id + ": quarkus.oidc-client.federation.client-id is " + clientId + ", not mihub-node-" + node);
                }
                if (!consortiumRealm.equals(resolve(all.getProperty("quarkus.oidc-client.federation.auth-server-url"), env))) {
                    problems.add(id + ": the federation client does not take its tokens at the consortium realm " + consortiumRealm);
                }
                String secret = all.getProperty("quarkus.oidc-client.federation.credentials.secret");
                Matcher m = secret == null ? null : EXPRESSION.matcher(secret);
                if (m == null || !m.matches() || env.get(m.group(1)) == null || env.get(m.group(1)).secretName() == null) {
                    problems.add(id + ": quarkus.oidc-client.federation.credentials.secret must be ${VARIABLE} of a secretKeyRef");
                }
            }
        }
        // Data leaves through the gateway (443) and, at a node, the leaf connection (7422): both must be open.
        NetworkRules rules = new NetworkRules(r.all(NetworkPolicy.class));
        r.named(Deployment.class, "gateway").ifPresent(gw -> {
            if (!rules.egressToAddresses(podLabels(gw), 443)) {
                problems.add("the gateway has no egress to the other gateways (443, federationCidr)");
            }
        });
        for (NatsWorkload n : nats) {
            if (!n.hub() && !rules.egressToAddresses(n.labels(), 7422)) {
                problems.add(id(n.object()) + ": no egress to the hub's leaf port (7422, hubNatsCidr)");
            }
        }
    }

    /**
     * Every connection that leaves the namespace (an egress peer by address or namespace) is one of these:
     * DNS; the gateway to the federation's gateways (443, federationCidr); the NATS leaf node to the hub
     * (7422, hubNatsCidr); the services to the hub's Keycloak (443, hubKeycloakCidr: the consortium realm's
     * keys); PostgreSQL and the Keycloak operator to the API server; PostgreSQL to the backup store. At a
     * node that means only the gateway and the leaf connection carry data out. The only addresses let in
     * are the nodes' leaf nodes at the hub's leaf port (7422, natsLeafCidr).
     */
    void egress(Rendered r, List<String> problems) {
        Map<String, String> values = r.values();
        Map<String, Map<String, String>> pods = new LinkedHashMap<>();
        for (Deployment d : moduleDeployments(r)) {
            pods.put(d.getMetadata().getName(), podLabels(d));
        }
        natsWorkloads(r).forEach(n -> pods.put(NATS, n.labels()));
        pods.put("postgresql", Map.of("cnpg.io/cluster", "mihub-db", "cnpg.io/podRole", "instance"));
        pods.put("keycloak", Map.of("app", "keycloak", "app.kubernetes.io/instance", "mihub-keycloak",
                "app.kubernetes.io/managed-by", "keycloak-operator", "app.kubernetes.io/component", "server"));
        pods.put("keycloak-realm-import", Map.of("app", "keycloak-realm-import", "app.kubernetes.io/instance", "mihub-keycloak",
                "app.kubernetes.io/managed-by", "keycloak-operator"));
        pods.put("keycloak-operator", Map.of("app.kubernetes.io/name", "keycloak-operator"));
        record Allowed(Set<String> from, String cidrValue, Set<Integer> ports) {
        }
        List<Allowed> allowed = List.of(
                new Allowed(Set.of("gateway"), "federationCidr", Set.of(443)),
                new Allowed(Set.of(NATS), "hubNatsCidr", Set.of(7422)),
                new Allowed(Set.of("gateway", "catalog-service", "prediction-service", "planning-service"), "hubKeycloakCidr", Set.of(443)),
                new Allowed(Set.of("postgresql"), "apiServerCidr", Set.of(443, 6443)),
                new Allowed(Set.of("postgresql"), "backupStoreCidr", Set.of(443)),
                new Allowed(Set.of("keycloak-operator"), "apiServerCidr", Set.of(443, 6443)));
        for (NetworkPolicy p : r.all(NetworkPolicy.class)) {
            Set<String> selected = new TreeSet<>();
            pods.forEach((name, labels) -> {
                if (NetworkRules.matches(p.getSpec().getPodSelector(), labels)) {
                    selected.add(name);
                }
            });
            boolean allPods = selected.equals(pods.keySet());
            for (NetworkPolicyEgressRule rule : p.getSpec().getEgress() == null ? List.<NetworkPolicyEgressRule>of() : p.getSpec().getEgress()) {
                Set<Integer> ports = new TreeSet<>();
                boolean anyPort = rule.getPorts() == null || rule.getPorts().isEmpty();
                if (!anyPort) {
                    for (NetworkPolicyPort port : rule.getPorts()) {
                        if (port.getPort() == null || port.getPort().getIntVal() == null || port.getEndPort() != null) {
                            anyPort = true;
                        } else {
                            ports.add(port.getPort().getIntVal());
                        }
                    }
                }
                for (NetworkPolicyPeer peer : rule.getTo() == null ? List.<NetworkPolicyPeer>of() : rule.getTo()) {
                    if (peer.getIpBlock() == null && peer.getNamespaceSelector() == null) {
                        continue; // a pod of this namespace
                    }
                    boolean dns = peer.getIpBlock() == null && namesNamespace(peer, "kube-system") && peer.getPodSelector() != null
                            && "kube-dns".equals(peer.getPodSelector().getMatchLabels() == null ? null : peer.getPodSelector().getMatchLabels().get("k8s-app"))
                            && !anyPort && ports.equals(Set.of(53));
                    boolean ok = dns || (!anyPort && !selected.isEmpty() && peer.getIpBlock() != null && allowed.stream().anyMatch(a ->
                            a.from().containsAll(selected) && Objects.equals(values.get(a.cidrValue()), peer.getIpBlock().getCidr())
                                    && a.ports().containsAll(ports)));
                    if (!ok) {
                        String to = peer.getIpBlock() != null ? peer.getIpBlock().getCidr() : "namespace " + peer.getNamespaceSelector();
                        problems.add(id(p) + ": " + (allPods ? "every pod" : selected.isEmpty() ? "no known pod" : selected) + " may connect to " + to
                                + " on " + (anyPort ? "any port" : ports) + ", outside the namespace and not one of the allowed connections");
                    }
                }
            }
            for (NetworkPolicyIngressRule rule : p.getSpec().getIngress() == null ? List.<NetworkPolicyIngressRule>of() : p.getSpec().getIngress()) {
                for (NetworkPolicyPeer peer : rule.getFrom() == null ? List.<NetworkPolicyPeer>of() : rule.getFrom()) {
                    if (peer.getIpBlock() == null) {
                        continue;
                    }
                    boolean leafPort = rule.getPorts() != null && rule.getPorts().size() == 1 && rule.getPorts().get(0).getPort() != null
                            && Objects.equals(rule.getPorts().get(0).getPort().getIntVal(), 7422) && rule.getPorts().get(0).getEndPort() == null;
                    boolean ok = selected.equals(Set.of(NATS)) && leafPort && Objects.equals(values.get("natsLeafCidr"), peer.getIpBlock().getCidr());
                    if (!ok) {
                        problems.add(id(p) + ": admits the addresses " + peer.getIpBlock().getCidr() + "; only the hub's leaf port (7422) admits the nodes (natsLeafCidr)");
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    static String id(HasMetadata o) {
        return o.getKind() + " " + o.getMetadata().getName();
    }

    static Map<String, String> podLabels(Deployment d) {
        Map<String, String> labels = d.getSpec().getTemplate().getMetadata() == null ? null
                : d.getSpec().getTemplate().getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    static Optional<Deployment> selectedDeployment(Rendered r, Service s) {
        Map<String, String> selector = s.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return Optional.empty();
        }
        List<Deployment> matching = r.all(Deployment.class).stream()
                .filter(d -> podLabels(d).entrySet().containsAll(selector.entrySet())).toList();
        return matching.size() == 1 ? Optional.of(matching.get(0)) : Optional.empty();
    }

    static ContainerPort resolvePort(Container c, IntOrString port) {
        if (port == null || c.getPorts() == null) {
            return null;
        }
        for (ContainerPort p : c.getPorts()) {
            if (port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort()) : Objects.equals(port.getStrVal(), p.getName())) {
                return p;
            }
        }
        return null;
    }

    static String stripSlash(String s) {
        return s != null && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** A container's environment as the kubelet would assemble it from the rendered objects. */
    record Env(Map<String, Value> values) {

        record Value(String literal, String secretName, String secretKey) {
        }

        static Env of(Rendered r, Container c, List<String> problems, String owner) {
            Map<String, Value> values = new LinkedHashMap<>();
            if (c.getEnvFrom() != null) {
                for (EnvFromSource from : c.getEnvFrom()) {
                    String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                    if (from.getConfigMapRef() != null) {
                        String name = from.getConfigMapRef().getName();
                        Optional<ConfigMap> cm = r.named(ConfigMap.class, name);
                        if (cm.isEmpty()) {
                            if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                                problems.add(owner + ": envFrom ConfigMap " + name + " is not rendered");
                            }
                        } else if (cm.get().getData() != null) {
                            cm.get().getData().forEach((k, v) -> values.put(prefix + k, new Value(v, null, null)));
                        }
                    }
                }
            }
            if (c.getEnv() != null) {
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() == null) {
                        values.put(e.getName(), new Value(e.getValue() == null ? "" : e.getValue(), null, null));
                    } else if (e.getValueFrom().getSecretKeyRef() != null) {
                        SecretKeySelector s = e.getValueFrom().getSecretKeyRef();
                        values.put(e.getName(), new Value(null, s.getName(), s.getKey()));
                    } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                        ConfigMapKeySelector s = e.getValueFrom().getConfigMapKeyRef();
                        String v = r.named(ConfigMap.class, s.getName()).map(cm -> cm.getData() == null ? null : cm.getData().get(s.getKey())).orElse(null);
                        values.put(e.getName(), new Value(v, null, null));
                    } else {
                        values.put(e.getName(), new Value(null, null, null));
                    }
                }
            }
            return new Env(values);
        }

        Value get(String name) {
            return values.get(name);
        }

        String literal(String name) {
            Value v = values.get(name);
            return v == null ? null : v.literal();
        }
    }

    /** The databases and login roles a CloudNativePG Cluster creates (bootstrap and declarative). */
    record Database(String cluster, Map<String, String> databases, Map<String, String> roleSecrets) {

        static Database of(Rendered r, GenericKubernetesResource cluster, List<String> problems) {
            String name = cluster.getMetadata().getName();
            Map<String, String> databases = new TreeMap<>();
            Map<String, String> roleSecrets = new TreeMap<>();
            Object initdb = Maps.at(cluster, "spec", "bootstrap", "initdb");
            if (initdb != null) {
                String database = Objects.requireNonNullElse(Maps.string(initdb, "database"), "app");
                String owner = Objects.requireNonNullElse(Maps.string(initdb, "owner"), database);
                databases.put(database, owner);
                roleSecrets.put(owner, Maps.string(initdb, "secret", "name"));
            }
            for (Object role : Maps.list(cluster, "spec", "managed", "roles")) {
                if ("absent".equals(Maps.string(role, "ensure"))) {
                    continue;
                }
                String roleName = Maps.string(role, "name");
                String secret = Maps.string(role, "passwordSecret", "name");
                String earlier = roleSecrets.get(roleName);
                if (earlier != null && secret != null && !earlier.equals(secret)) {
                    problems.add(id(cluster) + ": role " + roleName + " uses two password secrets " + earlier + " and " + secret);
                }
                roleSecrets.put(roleName, secret != null ? secret : earlier);
                if (!Boolean.TRUE.equals(Maps.at(role, "login"))) {
                    problems.add(id(cluster) + ": role " + roleName + " cannot log in");
                }
            }
            for (GenericKubernetesResource d : r.custom("postgresql.cnpg.io/v1", "Database")) {
                if (name.equals(Maps.string(d, "spec", "cluster", "name")) && !"absent".equals(Maps.string(d, "spec", "ensure"))) {
                    String database = Maps.string(d, "spec", "name");
                    String owner = Maps.string(d, "spec", "owner");
                    String earlier = databases.put(database, owner);
                    if (earlier != null && !earlier.equals(owner)) {
                        problems.add(id(d) + ": database " + database + " owned by " + owner + " here and by " + earlier + " elsewhere");
                    }
                }
            }
            return new Database(name, databases, roleSecrets);
        }
    }
}
