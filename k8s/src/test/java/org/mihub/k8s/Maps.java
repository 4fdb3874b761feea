package org.mihub.k8s;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.List;
import java.util.Map;

/** Small helpers for the untyped (custom resource) side of the rendered objects. */
final class Maps {

    static final TypeReference<Map<String, Object>> STRING_OBJECT = new TypeReference<>() {
    };

    private Maps() {
    }

    /** The value at a path of map keys and list indexes (Integer), or null. */
    static Object at(Object root, Object... path) {
        Object current = root;
        for (Object step : path) {
            if (current instanceof GenericKubernetesResource r) {
                current = r.getAdditionalProperties();
            }
            if (step instanceof Integer i && current instanceof List<?> list) {
                current = i < list.size() ? list.get(i) : null;
            } else if (current instanceof Map<?, ?> map) {
                current = map.get(step);
            } else {
                return null;
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    static String string(Object root, Object... path) {
        Object v = at(root, path);
        return v == null ? null : String.valueOf(v);
    }

    static List<?> list(Object root, Object... path) {
        return at(root, path) instanceof List<?> l ? l : List.of();
    }

    static Map<?, ?> map(Object root, Object... path) {
        return at(root, path) instanceof Map<?, ?> m ? m : Map.of();
    }
}
