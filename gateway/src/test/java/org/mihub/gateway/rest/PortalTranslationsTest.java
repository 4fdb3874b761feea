package org.mihub.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Every text the portal shows exists in English and in Japanese, and no translation is left over. */
class PortalTranslationsTest {

    private static final Path APP = Path.of("src/main/resources/META-INF/resources/app");
    private static final Pattern KEY = Pattern.compile("'([a-z0-9_]+\\.[A-Za-z0-9_.]+)':");
    private static final Pattern USE = Pattern.compile("\\bt\\('([a-z0-9_]+\\.[a-z0-9_.]+)'[,)]");

    private static Set<String> keys(String dictionary) {
        Set<String> keys = new TreeSet<>();
        Matcher matcher = KEY.matcher(dictionary);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }

    @Test
    void englishAndJapaneseHaveTheSameKeysAndEveryUsedKeyExists() throws IOException {
        String i18n = Files.readString(APP.resolve("i18n.js"));
        int en = i18n.indexOf("const en = {");
        int ja = i18n.indexOf("const ja = {");
        int end = i18n.indexOf("const dictionaries");
        Set<String> english = keys(i18n.substring(en, ja));
        Set<String> japanese = keys(i18n.substring(ja, end));
        assertTrue(english.size() > 150, "english keys: " + english.size());
        assertEquals(english, japanese);
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(APP)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".js")).toList()) {
                Matcher matcher = USE.matcher(Files.readString(file));
                while (matcher.find()) {
                    used.add(matcher.group(1));
                }
            }
        }
        used.removeAll(english);
        assertTrue(used.isEmpty(), "texts without a translation: " + used);
    }
}
