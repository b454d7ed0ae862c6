package dev.switchboard.tool;

/** How much a tool can change, which decides whether a person is asked before it runs. */
public enum ToolRisk {

    /** Only reads or computes: runs without asking in every mode but {@code auto-deny}'s deny list. */
    READS,

    /** Changes something or reaches outside the server: asked about in {@code manual} mode. */
    ACTS,

    /**
     * Can do whatever the server's own user can, such as running commands: asked about even in
     * {@code auto-approve} mode, unless the agent's {@code alwaysAllow} names it or a person said to remember.
     */
    DANGEROUS
}
