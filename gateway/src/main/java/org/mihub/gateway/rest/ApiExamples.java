package org.mihub.gateway.rest;

/** Request bodies shown in the OpenAPI document and Swagger UI, one valid example per operation. */
final class ApiExamples {

    private ApiExamples() {
    }

    static final String CREATE_DATASET = """
            {"title": "Band gaps of oxides", "description": "UV-vis, room temperature", "licence": "CC-BY-4.0",
             "visibility": "consortium"}""";

    static final String SHARING = """
            {"visibility": "shared", "sharedWith": ["kansai-u"],
             "embargo": {"until": "2027-04-01T00:00:00Z", "liftsTo": "public"}}""";

    static final String RECORDS_CSV = """
            formula,sample_id,tags,band_gap [eV],band_gap_uncertainty [eV],condition.temperature [K],\
            step1.anneal.temperature [Cel]
            Fe2O3,S-001,oxide;hematite,2.1,0.05,295,600
            ZnO,S-002,oxide,3.37,,295,450
            """;

    static final String RECORDS_JSON = """
            [{"formula": "GaN", "sampleKey": "S-003", "tags": ["nitride"],
              "measurements": [{"property": "band_gap", "value": {"value": 3.4, "unit": "eV"}}]}]""";

    static final String RECORDS_NDJSON = """
            {"formula": "GaN", "measurements": [{"property": "band_gap", "value": {"value": 3.4, "unit": "eV"}}]}
            {"formula": "AlN", "measurements": [{"property": "band_gap", "value": {"value": 6.2, "unit": "eV"}}]}
            """;

    static final String TRAIN = """
            {"name": "gap-rf", "datasets": [{"datasetId": "3f0c2a6e-9b1d-4c57-8e2a-5d7f1b9c0a11"}],
             "targetProperty": "band_gap", "hyperparameters": {"nTrees": 500}, "seed": 42, "kFolds": 5}""";

    static final String ARCHIVE = """
            {"reason": "superseded by gap-rf v3"}""";

    static final String PREDICT = """
            {"formulas": ["Fe2O3", "GaAs"]}""";

    static final String CREATE_CAMPAIGN = """
            {"spec": {"name": "FeNi hardness",
              "objectives": [{"property": "hardness", "direction": "maximise", "unit": "GPa"}],
              "designSpace": {"composition": {"elements": [{"element": "Fe", "maxFraction": 1},
                {"element": "Ni", "maxFraction": 1}], "step": 0.05},
               "parameters": [{"name": "anneal_temperature", "unit": "Cel",
                 "continuous": {"min": 300, "max": 900, "step": 50}}]},
              "budget": {"maxExperiments": 40}, "acquisition": {"batchSize": 4}, "seed": 7}}""";

    static final String CAMPAIGN_STATUS = """
            {"status": "paused", "reason": "furnace maintenance"}""";

    static final String PROPOSE = """
            {"batchSize": 4, "requestId": "robot-7/2026-11-24T10:00"}""";

    static final String RESULTS = """
            {"results": [
              {"proposalId": "8d1e4b7a-2c3f-4a9e-b6d0-7f5e1c2a9b34",
               "measured": {"values": [{"property": "hardness", "value": {"value": 5.2, "unit": "GPa"}}]}},
              {"proposalId": "0b6f3e2d-7a41-4c8e-9d15-3e2a7c6b1f08", "failed": {"reason": "sample cracked"}}]}""";

    static final String SIMULATION = """
            {"spec": {"name": "toughness twin",
              "campaign": {"name": "twin", "objectives": [{"property": "toughness",
                "direction": "maximise"}],
               "designSpace": {"parameters": [{"name": "x", "continuous": {"min": 0, "max": 1}}]}},
              "pool": {"rows": [
                {"candidate": {"id": "r1", "parameters": {"x": {"number": 0.1}}},
                 "values": [{"property": "toughness", "value": {"value": 8.2}}]},
                {"candidate": {"id": "r2", "parameters": {"x": {"number": 0.4}}},
                 "values": [{"property": "toughness", "value": {"value": 12.1}}]},
                {"candidate": {"id": "r3", "parameters": {"x": {"number": 0.8}}},
                 "values": [{"property": "toughness", "value": {"value": 9.7}}]}]},
              "runs": 50, "seeds": [4295, 8508]}}""";

    static final String CREATE_PROPERTY = """
            {"name": "tc_onset", "displayName": "Superconducting transition onset", "displayNameJa": "超伝導転移温度",
             "valueType": "numeric", "canonicalUnit": "K", "quantityKind": "temperature", "minimum": 0,
             "description": "Onset of the resistive superconducting transition."}""";
    static final String PATCH_PROPERTY = """
            {"addLabels": ["hcp"], "displayNameJa": "結晶相"}""";
}
