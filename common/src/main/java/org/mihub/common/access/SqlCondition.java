package org.mihub.common.access;

import java.util.List;

/** A SQL boolean condition and the values of its {@code ?} placeholders, in order. */
public record SqlCondition(String sql, List<Object> parameters) {

    public SqlCondition {
        parameters = List.copyOf(parameters);
    }
}
