package dev.switchboard.hook;

/** What a hook does when it fires; a hook runs its actions in order. */
public sealed interface HookAction {

    /** The action's wire name. */
    String type();

    /** Stores a notification for the hook's owner; {@code {{path}}} in the texts takes the payload's values. */
    record Notify(String title, String message) implements HookAction {
        public String type() { return "notify"; }
    }

    /** Sends {@code prompt} to the agent as an ordinary run, in a session the hook owns. */
    record RunAgent(String agentId, String prompt) implements HookAction {
        public String type() { return "run_agent"; }
    }

    /** POSTs the trigger's payload as JSON to {@code url}, under the address rules of {@code http_request}. */
    record CallWebhook(String url) implements HookAction {
        public String type() { return "call_webhook"; }
    }

    /**
     * Runs one of the agent's tools with fixed arguments. Only tools the agent's permissions allow without asking
     * run: a hook fires unattended, with nobody to approve.
     *
     * @param arguments JSON text
     */
    record ExecuteTool(String agentId, String tool, String arguments) implements HookAction {
        public String type() { return "execute_tool"; }
    }
}
