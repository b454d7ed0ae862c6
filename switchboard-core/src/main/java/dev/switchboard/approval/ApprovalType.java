package dev.switchboard.approval;

/** The kinds of question an approval request asks. */
public final class ApprovalType {

    /** May this tool call run? */
    public static final String TOOL = "tool_confirmation";
    /** May this command run (the {@code run_command} tool)? */
    public static final String COMMAND = "command_confirmation";
    /** Fill in this form (an MCP server's elicitation, or {@code ask_user}); answered with form data. */
    public static final String ELICITATION = "elicitation";
    /** May this MCP server use the agent's model? */
    public static final String SAMPLING = "sampling";

    private ApprovalType() {
    }
}
