package dev.switchboard.face.mcp;

/** Where a tool call that takes a while tells its caller how it is going. */
interface CallProgress {

    /** Whether anyone reads the reports (an MCP client that sent a {@code progressToken}). */
    boolean wanted();

    /** One step further: {@code progress} grows with every report. */
    void report(double progress, String message);

    /** Nothing happened for a keep-alive interval; the response may need a sign of life. */
    void idle();

    CallProgress NONE = new CallProgress() {
        @Override
        public boolean wanted() {
            return false;
        }

        @Override
        public void report(double progress, String message) {
        }

        @Override
        public void idle() {
        }
    };
}
