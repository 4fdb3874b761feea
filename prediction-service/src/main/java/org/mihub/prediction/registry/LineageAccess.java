package org.mihub.prediction.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.mihub.api.catalog.v1.CatalogServiceGrpc;
import org.mihub.api.catalog.v1.Dataset;
import org.mihub.api.catalog.v1.DerivedRead;
import org.mihub.api.catalog.v1.ListDatasetsRequest;
import org.mihub.api.catalog.v1.ListDatasetsResponse;
import org.mihub.api.catalog.v1.RecordDerivedReadsRequest;
import org.mihub.api.common.v1.PageRequest;
import org.mihub.common.access.AccessRule;
import org.mihub.common.identity.Caller;
import org.mihub.prediction.config.RegistryConfig;

import io.quarkus.grpc.GrpcClient;

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

    /** The catalog's limit on ids in one ListDatasets request. */
    static final int IDS_PER_REQUEST = 500;
    /** The catalog's largest page. */
    static final int PAGE = 200;

    @GrpcClient("catalog")
    CatalogServiceGrpc.CatalogServiceBlockingStub catalog;

    @Inject
    RegistryConfig config;

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
        Map<ModelRecord, List<String>> lineages = new java.util.IdentityHashMap<>();
        allowed.forEach(model -> lineages.put(model, model.lineageDatasetIds()));
        Set<String> all = new LinkedHashSet<>();
        lineages.values().forEach(all::addAll);
        Set<String> visible = visible(all);
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
        var request = RecordDerivedReadsRequest.newBuilder();
        rowsPerDataset.forEach((id, rows) -> request.addReads(DerivedRead.newBuilder().setDatasetId(id)
                .setRecords(rows)));
        catalog.withDeadlineAfter(config.lineageCheckDeadline().toMillis(), TimeUnit.MILLISECONDS)
                .recordDerivedReads(request.build());
    }

    /** The datasets among {@code ids} the current caller (the token relayed with the call) may see. */
    private Set<String> visible(Set<String> ids) {
        Set<String> visible = new HashSet<>();
        List<String> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += IDS_PER_REQUEST) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IDS_PER_REQUEST));
            String token = "";
            do {
                ListDatasetsResponse page = catalog
                        .withDeadlineAfter(config.lineageCheckDeadline().toMillis(), TimeUnit.MILLISECONDS)
                        .listDatasets(ListDatasetsRequest.newBuilder().addAllIds(chunk)
                                .setPage(PageRequest.newBuilder().setPageSize(PAGE).setPageToken(token)).build());
                page.getDatasetsList().stream().map(Dataset::getId).forEach(visible::add);
                token = page.getPageInfo().getNextPageToken();
            } while (!token.isEmpty());
        }
        return visible;
    }
}
