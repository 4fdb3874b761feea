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
                    check("Keycloak and realm import", rendered, this::keycloak)));
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

    void deployments(Rendered r, List<String> problems) {
        List<Deployment> deployments = r.all(Deployment.class);
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
            if (!Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())) {
                problems.add(id + ": automountServiceAccountToken must be false");
            }
            if (pod.getServiceAccountName() == null || "default".equals(pod.getServiceAccountName())) {
                problems.add(id + ": runs as the default service account");
            }
            if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID()) || Boolean.TRUE.equals(pod.getHostIPC())) {
                problems.add(id + ": uses host namespaces");
            }
            List<Container> containers = new ArrayList<>(pod.getContainers());
            if (pod.getInitContainers() != null) {
                containers.addAll(pod.getInitContainers());
            }
            for (Container c : containers) {
                String cid = id + " container " + c.getName();
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
        List<Deployment> deployments = r.all(Deployment.class);
        for (Service s : r.all(Service.class)) {
            String id = id(s);
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

        List<Deployment> deployments = r.all(Deployment.class);
        for (Deployment d : deployments) {
            Map<String, String> labels = podLabels(d);
            for (String type : List.of("Ingress", "Egress")) {
                if (rules.selecting(labels, type).isEmpty()) {
                    problems.add(id(d) + ": no NetworkPolicy selects its pods for " + type);
                }
            }
            boolean reachable = rules.selecting(labels, "Ingress").stream()
                    .anyMatch(p -> p.getSpec().getIngress() != null && !p.getSpec().getIngress().isEmpty());
            if (!reachable) {
                problems.add(id(d) + ": no policy admits any traffic to it");
            }
        }

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
        for (Deployment d : r.all(Deployment.class)) {
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
        String location = env.literal("QUARKUS_CONFIG_LOCATIONS");
        if (location == null) {
            problems.add(id + ": QUARKUS_CONFIG_LOCATIONS (the federation links file) is not set");
            return;
        }
        String directory = location.substring(0, location.lastIndexOf('/'));
        String file = location.substring(location.lastIndexOf('/') + 1);
        var mount = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(directory)).findFirst();
        var volume = mount.flatMap(m -> gateway.get().getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(m.getName()) && v.getConfigMap() != null).findFirst());
        Optional<ConfigMap> links = volume.flatMap(v -> r.named(ConfigMap.class, v.getConfigMap().getName()));
        if (links.isEmpty() || links.get().getData() == null || !links.get().getData().containsKey(file)) {
            problems.add(id + ": " + location + " is not a key of a ConfigMap mounted at " + directory);
            return;
        }
        java.util.Properties properties = new java.util.Properties();
        try {
            properties.load(new java.io.StringReader(links.get().getData().get(file)));
        } catch (IOException e) {
            problems.add(id + ": " + location + " does not parse: " + e.getMessage());
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
