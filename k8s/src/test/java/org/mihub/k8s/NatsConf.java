package org.mihub.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the nats-server configuration format as far as the mihub files use it: maps ({@code {}}),
 * arrays ({@code []}), quoted and bare values, {@code key: value}, {@code key = value} and
 * {@code key value}, comments ({@code #}, {@code //}), separators (newline, {@code ,}, {@code ;}) and
 * {@code include "file"} (resolved through a function, e.g. the keys of the mounted ConfigMaps).
 * A bare value starting with {@code $} is a variable: it is kept as written ({@code $NAME}); a quoted
 * one is a string. Anything else it cannot read is an {@link IllegalArgumentException} naming where.
 */
final class NatsConf {

    /** A variable reference ({@code password: $NATS_PASSWORD}), as opposed to a quoted string. */
    record Variable(String name) {
    }

    private final String text;
    private final String source;
    private final Function<String, String> includes;
    private int pos;

    private NatsConf(String text, String source, Function<String, String> includes) {
        this.text = text;
        this.source = source;
        this.includes = includes;
    }

    static Map<String, Object> parse(String text, String source, Function<String, String> includes) {
        NatsConf parser = new NatsConf(text, source, includes);
        Map<String, Object> root = new LinkedHashMap<>();
        parser.entries(root, (char) 0);
        return root;
    }

    private void entries(Map<String, Object> into, char close) {
        while (true) {
            skipSeparators();
            if (pos >= text.length()) {
                if (close != 0) {
                    throw error("missing '" + close + "'");
                }
                return;
            }
            if (text.charAt(pos) == close) {
                pos++;
                return;
            }
            String key = key();
            skipBlanks();
            if ("include".equals(key)) {
                String file = String.valueOf(value());
                String included = includes.apply(file);
                if (included == null) {
                    throw error("include \"" + file + "\": no such file");
                }
                into.putAll(parse(included, file, includes));
                continue;
            }
            if (pos < text.length() && (text.charAt(pos) == ':' || text.charAt(pos) == '=')) {
                pos++;
            }
            skipBlanks();
            into.put(key, value());
        }
    }

    private String key() {
        char c = text.charAt(pos);
        if (c == '"' || c == '\'') {
            return quoted();
        }
        int start = pos;
        while (pos < text.length() && !Character.isWhitespace(text.charAt(pos)) && ":={}[],;#".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        if (start == pos) {
            throw error("a key expected");
        }
        return text.substring(start, pos);
    }

    private Object value() {
        if (pos >= text.length()) {
            throw error("a value expected");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            pos++;
            Map<String, Object> map = new LinkedHashMap<>();
            entries(map, '}');
            return map;
        }
        if (c == '[') {
            pos++;
            List<Object> list = new ArrayList<>();
            while (true) {
                skipSeparators();
                if (pos >= text.length()) {
                    throw error("missing ']'");
                }
                if (text.charAt(pos) == ']') {
                    pos++;
                    return list;
                }
                list.add(value());
            }
        }
        if (c == '"' || c == '\'') {
            return quoted();
        }
        int start = pos;
        while (pos < text.length() && "\n\r,;}]#".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String bare = text.substring(start, pos).strip();
        if (bare.isEmpty()) {
            throw error("a value expected");
        }
        return bare.startsWith("$") ? new Variable(bare.substring(1)) : bare;
    }

    private String quoted() {
        char quote = text.charAt(pos++);
        StringBuilder s = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            s.append(c);
        }
        if (pos >= text.length()) {
            throw error("unterminated string");
        }
        pos++;
        return s.toString();
    }

    private void skipBlanks() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private void skipSeparators() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c) || c == ',' || c == ';') {
                pos++;
            } else if (c == '#' || (c == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/')) {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private IllegalArgumentException error(String what) {
        int line = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            line += text.charAt(i) == '\n' ? 1 : 0;
        }
        return new IllegalArgumentException(source + " line " + line + ": " + what);
    }
}
