package org.mihub.common.testing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * A {@code @ConfigMapping} built from given properties and checked with Bean Validation, as
 * quarkus-hibernate-validator checks it when a service starts (with Quarkus's duration format): for plain tests of a mapping's
 * defaults and of the message a bad value stops the service with.
 */
public final class ConfigMappings {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private ConfigMappings() {
    }

    /** The mapping from these properties and its defaults; throws {@link ConfigValidationException} when invalid. */
    public static <T> T build(Class<T> mapping, Map<String, String> properties) {
        BeanValidationConfigValidator validator = () -> VALIDATOR;
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                // durations as Quarkus reads them ("60s", "2m" as well as ISO-8601)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(mapping)
                .withValidator(validator)
                .build()
                .getConfigMapping(mapping);
    }

    /** What start-up would report for these properties, one line per problem; empty when the mapping is valid. */
    public static List<String> problems(Class<?> mapping, Map<String, String> properties) {
        try {
            build(mapping, properties);
            return List.of();
        } catch (ConfigValidationException e) {
            return IntStream.range(0, e.getProblemCount()).mapToObj(i -> e.getProblem(i).getMessage()).toList();
        }
    }
}
