package org.mihub.catalog.federation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.mihub.catalog.mapping.FederationJson;
import org.mihub.catalog.mapping.PropertyJson;
import org.mihub.catalog.service.PropertyService;
import org.mihub.catalog.service.VocabularyOutbox;
import org.mihub.common.error.ApiException;

/**
 * A node's side of the consortium vocabulary: each definition the hub published on
 * {@code mihub.vocabulary.<property>} is read, checked and applied ({@link PropertyService#applyPublished}).
 * Only the hub's NATS user may publish on those subjects (the server's permissions); a message that is
 * not JSON, names another property than its subject, breaks the vocabulary's rules or is larger than
 * 64 KiB is refused and logged, and one that would change the meaning of stored values (another type,
 * unit or label order) is logged as a conflict for the operator: in every such case nothing is written
 * and the message is not delivered again. A database failure throws, so the message comes back.
 */
@ApplicationScoped
public class VocabularySync {

    private static final Logger LOG = Logger.getLogger(VocabularySync.class);
    static final int MAX_BYTES = 64 * 1024;

    @Inject
    PropertyService properties;

    /** Handles one message; answers what became of it (for tests and the log). */
    public String receive(String subject, byte[] data) {
        if (data.length > MAX_BYTES) {
            return refuse(subject, data.length + " bytes, more than " + MAX_BYTES);
        }
        PropertyJson.Published published;
        try {
            published = PropertyJson.read(data);
        } catch (FederationJson.Malformed e) {
            return refuse(subject, e.getMessage());
        }
        String name = published.property().name();
        if (!subject.equals(VocabularyOutbox.VOCABULARY + name)) {
            return refuse(subject, "it defines '" + name + "'");
        }
        try {
            properties.checkPublished(published.property());
        } catch (ApiException e) {
            return refuse(subject, e.getMessage());
        }
        PropertyService.Applied applied;
        try {
            applied = properties.applyPublished(published.property());
        } catch (PropertyService.VocabularyConflict e) {
            LOG.errorf("vocabulary: %s from %s is not applied: %s; stored values keep their meaning. Rename the "
                    + "property at one side, or make the hub's definition match", name, published.publisher(),
                    e.getMessage());
            return "conflict";
        }
        switch (applied) {
            case ADDED -> LOG.infof("vocabulary: '%s' (%s, version %d) added from %s", name,
                    published.property().summary(), published.property().version(), published.publisher());
            case UPDATED -> LOG.infof("vocabulary: '%s' is now version %d from %s", name,
                    published.property().version(), published.publisher());
            default -> LOG.debugf("vocabulary: '%s' version %d: %s", name, published.property().version(), applied);
        }
        return applied.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String refuse(String subject, String reason) {
        LOG.warnf("vocabulary: a message on %s is refused (%s); nothing written", subject, reason);
        return "refused";
    }
}
