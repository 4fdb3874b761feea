package org.mihub.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds fields the Kubernetes model does not know. fabric8 keeps them in each model object's
 * additionalProperties instead of failing, so a typo ({@code readinesProbe}) or a field at the
 * wrong level would otherwise pass unnoticed. Custom resources (untyped) are not walked.
 */
final class UnknownFields {

    private static final ObjectMapper INTROSPECTION = new ObjectMapper();
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private UnknownFields() {
    }

    static List<String> in(Object root, String rootPath) {
        List<String> found = new ArrayList<>();
        walk(root, rootPath, found, new IdentityHashMap<>());
        return found;
    }

    private static void walk(Object o, String path, List<String> found, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || o instanceof CharSequence || o instanceof Number || o instanceof Boolean
                || o instanceof Enum<?> || o instanceof GenericKubernetesResource) {
            return;
        }
        if (seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (o instanceof Iterable<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (!o.getClass().getName().startsWith(MODEL_PACKAGE)) {
            return;
        }
        try {
            Method getter = o.getClass().getMethod("getAdditionalProperties");
            if (getter.invoke(o) instanceof Map<?, ?> extra && !extra.isEmpty()) {
                found.add(path + ": unknown field(s) " + extra.keySet());
            }
        } catch (NoSuchMethodException e) {
            // not every model type keeps extra fields
        } catch (ReflectiveOperationException e) {
            found.add(path + ": cannot inspect " + o.getClass().getSimpleName() + ": " + e);
        }
        BeanDescription description = INTROSPECTION.getSerializationConfig()
                .introspect(INTROSPECTION.constructType(o.getClass()));
        for (BeanPropertyDefinition property : description.findProperties()) {
            AnnotatedMember accessor = property.getAccessor();
            if (accessor == null || "additionalProperties".equals(property.getName())) {
                continue;
            }
            Object value;
            try {
                value = accessor.getValue(o);
            } catch (RuntimeException e) {
                continue; // derived accessors (e.g. numeric forms of quantities) may refuse; not a field
            }
            walk(value, path + "." + property.getName(), found, seen);
        }
    }
}
