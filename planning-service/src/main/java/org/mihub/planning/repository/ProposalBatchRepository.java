package org.mihub.planning.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The {@code proposal_batch} table; used through {@link CampaignRepository}. */
@ApplicationScoped
public class ProposalBatchRepository implements PanacheRepositoryBase<ProposalBatchEntity, UUID> {
}
