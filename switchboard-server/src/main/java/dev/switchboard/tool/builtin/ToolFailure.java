package dev.switchboard.tool.builtin;

/** A built-in tool cannot do what the model asked; the message is what the model is told. */
final class ToolFailure extends RuntimeException {

    ToolFailure(String message) {
        super(message, null, false, false);
    }
}
