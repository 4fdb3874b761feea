package org.mihub.catalog.config;

import org.mihub.catalog.ingest.MaterialRecord;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson serialises by reflection (process steps and conditions stored as JSON), registered
 * for native images. The UCUM unit system (systems-ucum, Indriya) also loads classes reflectively
 * and is not registered yet: see the README.
 */
@RegisterForReflection(targets = {MaterialRecord.ProcessStep.class, MaterialRecord.Parameter.class})
public final class NativeReflection {

    private NativeReflection() {
    }
}
