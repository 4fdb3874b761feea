package org.mihub.k8s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates the NetworkPolicies of one namespace for traffic between pods of that namespace,
 * as the API defines it: a pod selected by a policy of a type is isolated for that direction,
 * and an isolated pod accepts only what some rule of a selecting policy allows. Peers that name
 * other namespaces (namespaceSelector) or addresses (ipBlock) never match a pod of the same
 * namespace here: namespace labels are not known offline.
 */
final class NetworkRules {

    private final List<NetworkPolicy> policies;

    NetworkRules(List<NetworkPolicy> policies) {
        this.policies = policies;
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> required = selector.getMatchLabels();
        if (required != null) {
            for (Map.Entry<String, String> e : required.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return false;
                }
            }
        }
        List<LabelSelectorRequirement> expressions = selector.getMatchExpressions();
        if (expressions != null) {
            for (LabelSelectorRequirement r : expressions) {
                String value = labels.get(r.getKey());
                List<String> values = r.getValues() == null ? List.of() : r.getValues();
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new AssertionError("unknown selector operator " + r.getOperator());
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    static Set<String> types(NetworkPolicy p) {
        List<String> declared = p.getSpec().getPolicyTypes();
        if (declared != null && !declared.isEmpty()) {
            return new HashSet<>(declared);
        }
        Set<String> implied = new HashSet<>(Set.of("Ingress"));
        if (p.getSpec().getEgress() != null && !p.getSpec().getEgress().isEmpty()) {
            implied.add("Egress");
        }
        return implied;
    }

    static boolean isDefaultDeny(NetworkPolicy p) {
        LabelSelector s = p.getSpec().getPodSelector();
        boolean allPods = s == null || ((s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty()));
        return allPods && types(p).containsAll(Set.of("Ingress", "Egress"))
                && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty())
                && (p.getSpec().getEgress() == null || p.getSpec().getEgress().isEmpty());
    }

    List<NetworkPolicy> selecting(Map<String, String> podLabels, String type) {
        return policies.stream()
                .filter(p -> matches(p.getSpec().getPodSelector(), podLabels) && types(p).contains(type))
                .toList();
    }

    /** Whether a pod of this namespace with {@code from} labels may open a TCP connection to {@code to} on the port. */
    boolean allows(Map<String, String> from, Map<String, String> to, int port, String portName) {
        return egressAllows(from, to, port, portName) && ingressAllows(from, to, port, portName);
    }

    boolean ingressAllows(Map<String, String> from, Map<String, String> to, int port, String portName) {
        List<NetworkPolicy> isolating = selecting(to, "Ingress");
        if (isolating.isEmpty()) {
            return true;
        }
        return isolating.stream()
                .flatMap(p -> p.getSpec().getIngress() == null ? java.util.stream.Stream.empty() : p.getSpec().getIngress().stream())
                .anyMatch(rule -> portMatches(rule.getPorts(), port, portName) && peerMatches(rule.getFrom(), from));
    }

    boolean egressAllows(Map<String, String> from, Map<String, String> to, int port, String portName) {
        List<NetworkPolicy> isolating = selecting(from, "Egress");
        if (isolating.isEmpty()) {
            return true;
        }
        return isolating.stream()
                .flatMap(p -> p.getSpec().getEgress() == null ? java.util.stream.Stream.empty() : p.getSpec().getEgress().stream())
                .anyMatch(rule -> portMatches(rule.getPorts(), port, portName) && peerMatches(rule.getTo(), to));
    }

    /** Whether some egress rule for the pod allows a peer of the given kind (ipBlock) on the port. */
    boolean egressToAddresses(Map<String, String> from, int port) {
        return selecting(from, "Egress").stream()
                .flatMap(p -> p.getSpec().getEgress() == null ? java.util.stream.Stream.empty() : p.getSpec().getEgress().stream())
                .anyMatch(rule -> portMatches(rule.getPorts(), port, null)
                        && rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> peer.getIpBlock() != null));
    }

    private static boolean portMatches(List<NetworkPolicyPort> ports, int port, String portName) {
        if (ports == null || ports.isEmpty()) {
            return true;
        }
        for (NetworkPolicyPort p : ports) {
            if (p.getProtocol() != null && !"TCP".equals(p.getProtocol())) {
                continue;
            }
            IntOrString value = p.getPort();
            if (value == null) {
                return true;
            }
            if (value.getIntVal() != null) {
                int low = value.getIntVal();
                int high = p.getEndPort() != null ? p.getEndPort() : low;
                if (port >= low && port <= high) {
                    return true;
                }
            } else if (value.getStrVal() != null && value.getStrVal().equals(portName)) {
                return true;
            }
        }
        return false;
    }

    private static boolean peerMatches(List<NetworkPolicyPeer> peers, Map<String, String> labels) {
        if (peers == null || peers.isEmpty()) {
            return true;
        }
        return peers.stream().anyMatch(peer -> peer.getNamespaceSelector() == null && peer.getIpBlock() == null
                && peer.getPodSelector() != null && matches(peer.getPodSelector(), labels));
    }
}
