package org.mihub.planning.repository;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The {@code proposal} table; used through {@link CampaignRepository}, which owns a campaign's rows. */
@ApplicationScoped
public class ProposalRepository implements PanacheRepositoryBase<ProposalEntity, UUID> {
}
