package org.mihub.prediction.registry;

import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.common.access.AccessRule;
import org.mihub.common.identity.Caller;
import org.mihub.prediction.client.CatalogClient;

/**
 * Who may read a model now. A model is derived from its training datasets: besides its own
 * visibility (the most restrictive of theirs, fixed at training, read under {@link AccessRule}), a caller
 * sees it only while the catalog shows the caller every one of those datasets. When a training
 * dataset's sharing narrows or it is deleted, its models narrow with it on the next read, on
 * every path (get, list, predict, out-of-fold rows). The catalog is asked as the caller, with
 * one ListDatasets by ids per read, so the catalog's rule is the one applied; if the catalog
 * cannot answer, the read fails rather than showing the model. Admins see every model.
 */
@ApplicationScoped
public class LineageAccess {

    @Inject
    CatalogClient catalog;

    public boolean canRead(Optional<Caller> caller, ModelRecord model) {
        return !readable(caller, List.of(model)).isEmpty();
    }

    /** The models of the list the caller may read now, in their order. */
    public List<ModelRecord> readable(Optional<Caller> caller, List<ModelRecord> models) {
        List<ModelRecord> allowed = models.stream().filter(model -> AccessRule.canRead(caller, model.sharing())).toList();
        if (allowed.isEmpty() || caller.isPresent() && caller.get().hasRole(Caller.ADMIN)) {
            return allowed;
        }
        // each model's lineage parsed once
        Map<ModelRecord, List<String>> lineages = new IdentityHashMap<>();
        allowed.forEach(model -> lineages.put(model, model.lineageDatasetIds()));
        Set<String> all = new LinkedHashSet<>();
        lineages.values().forEach(all::addAll);
        Set<String> visible = catalog.visibleDatasets(all);
        return allowed.stream().filter(model -> visible.containsAll(lineages.get(model))).toList();
    }

    /**
     * Reports rows of training data a model showed the caller (its out-of-fold predictions carry
     * the training materials and their measured values) to the catalog, as the caller, so reads of
     * another organisation's dataset reach its owner's access log (operation DERIVED) as any other
     * read does. Anonymous reads (PUBLIC data) and reads of the caller's own organisation's data are
     * not logged, as in the catalog, nor are admins' (who operate the hub). A failed report fails
     * the read.
     *
     * @param rowsPerDataset rows shown, per dataset id
     */
    public void recordDerivedRead(Optional<Caller> caller, ModelRecord model, Map<String, Long> rowsPerDataset) {
        // admins see every model, also of deleted datasets, which the catalog would no longer find
        if (caller.isEmpty() || caller.get().hasRole(Caller.ADMIN) || rowsPerDataset.isEmpty()) {
            return;
        }
        Map<String, String> owners = model.lineageOwners();
        boolean foreign = rowsPerDataset.keySet().stream()
                .anyMatch(id -> !caller.get().org().equals(owners.get(id)));
        if (!foreign) {
            return;
        }
        catalog.recordDerivedReads(rowsPerDataset);
    }
}
