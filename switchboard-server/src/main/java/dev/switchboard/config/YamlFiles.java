package dev.switchboard.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.stream.Collectors;

/** Reads YAML into records strictly, turning every problem into a {@link ConfigException} with file and line. */
final class YamlFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    private YamlFiles() {
    }

    static <T> T read(String fileName, String text, Class<T> type) {
        try {
            return parse(fileName, text, type);
        } catch (ConfigException e) {
            if (e.key() == null) {
                throw e;
            }
            // Jackson reports where it noticed the problem, often the next line; point at the key itself
            JsonLocation key = locate(text, e.key());
            if (key == null) {
                throw e;
            }
            String problem = e.getMessage().substring(e.getMessage().indexOf("': ") + 3);
            throw new ConfigException(fileName, key.getLineNr(), key.getColumnNr(), e.key(), problem);
        }
    }

    private static <T> T parse(String fileName, String text, Class<T> type) {
        try {
            T value = YAML.readValue(text, type);
            if (value == null) {
                throw new ConfigException(fileName, 0, 0, null, "the file is empty");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (known keys: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            throw at(fileName, e, path(e), "unknown key" + known);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = cause.getMessage();
            String path = path(e);
            // record validation messages start with the field at fault: name it in the key
            String field = message.split("[ ']", 2)[0];
            if (!field.isEmpty() && field.chars().allMatch(Character::isLetterOrDigit)) {
                path = path == null ? field : path + "." + field;
            }
            throw at(fileName, e, path, message);
        } catch (InvalidFormatException e) {
            throw at(fileName, e, path(e), "'" + e.getValue() + "' is not a valid " + simple(e.getTargetType()));
        } catch (MismatchedInputException e) {
            throw at(fileName, e, path(e), "expected " + simple(e.getTargetType()));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof com.fasterxml.jackson.core.exc.StreamReadException syntax) {
                throw invalidYaml(fileName, syntax);
            }
            throw at(fileName, e, path(e), e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw invalidYaml(fileName, e);
        }
    }

    /** A syntax error, its parser's multi-line message folded to one line. */
    private static ConfigException invalidYaml(String fileName, JsonProcessingException e) {
        String[] lines = e.getOriginalMessage().split("\\R");
        String problem = lines[0].strip();
        for (String line : lines) {
            if (line.startsWith("found") || line.startsWith("expected")) {
                problem += ": " + line.strip();
            }
        }
        return at(fileName, e, null, "invalid YAML: " + problem);
    }

    /** The line and column of the key at a dotted path, or {@code {0, 0}} when it is not in the text. */
    static int[] lineOf(String text, String dottedPath) {
        JsonLocation location = locate(text, dottedPath);
        return location == null ? new int[] {0, 0} : new int[] {location.getLineNr(), location.getColumnNr()};
    }

    /** The location of the key at a dotted path ({@code llm.model}), or null when it is not in the text. */
    private static JsonLocation locate(String text, String dottedPath) {
        try (com.fasterxml.jackson.core.JsonParser parser = YAML.getFactory().createParser(text)) {
            java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
            com.fasterxml.jackson.core.JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                    String here = parser.getParsingContext().getParent() == null ? parser.currentName()
                            : pathOf(parser.getParsingContext());
                    if (dottedPath.equals(here)) {
                        return parser.currentTokenLocation();
                    }
                }
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String pathOf(com.fasterxml.jackson.core.JsonStreamContext context) {
        java.util.ArrayDeque<String> names = new java.util.ArrayDeque<>();
        for (var c = context; c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                names.addFirst(c.getCurrentName());
            } else if (c.inArray()) {
                names.addFirst("[" + c.getCurrentIndex() + "]");
            }
        }
        return String.join(".", names).replace(".[", "[");
    }

    private static ConfigException at(String file, JsonProcessingException e, String key, String problem) {
        JsonLocation location = e.getLocation();
        int line = location == null ? 0 : location.getLineNr();
        int column = location == null ? 0 : location.getColumnNr();
        return new ConfigException(file, line, column, key, problem);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    private static String simple(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "integer";
        }
        if (type == Double.class || type == double.class) {
            return "number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "string";
        }
        if (java.util.List.class.isAssignableFrom(type)) {
            return "list";
        }
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "mapping";
        }
        return type.getSimpleName();
    }
}
