package org.mihub.prediction.registry;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** The {@code model_out_of_fold} rows, through Hibernate ORM; {@link ModelRepository} writes and pages them. */
@ApplicationScoped
public class OutOfFoldRepository implements PanacheRepositoryBase<OutOfFoldEntity, OutOfFoldEntity.Key> {
}
