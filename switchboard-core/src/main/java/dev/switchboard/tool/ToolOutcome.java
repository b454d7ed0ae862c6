package dev.switchboard.tool;

/** What a tool returned: its output text, or the error the model is told about. */
public record ToolOutcome(boolean success, String output, String error) {

    public static ToolOutcome success(String output) {
        return new ToolOutcome(true, output, null);
    }

    public static ToolOutcome failure(String error) {
        return new ToolOutcome(false, null, error);
    }

    /** The text the model receives for this outcome. */
    public String textForModel() {
        return success ? output : "Error: " + error;
    }
}
