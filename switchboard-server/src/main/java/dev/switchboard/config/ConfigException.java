package dev.switchboard.config;

/** A configuration file cannot be used; the message names the file, line and key. */
public final class ConfigException extends RuntimeException {

    private final int line;
    private final int column;
    private final String key;

    public ConfigException(String file, int line, int column, String key, String problem) {
        super(file + (line > 0 ? ":" + line + ":" + column : "") + ": " + (key == null ? "" : "'" + key + "': ")
                + problem);
        this.line = line;
        this.column = column;
        this.key = key;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String key() {
        return key;
    }
}
