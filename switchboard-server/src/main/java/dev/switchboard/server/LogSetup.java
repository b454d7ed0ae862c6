package dev.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.switchboard.operator.RecentLogs;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Logging to standard error, configured in code: parsing an XML configuration costs start-up time for no gain.
 * The root level comes from the {@code switchboard.log.level} system property (default INFO). A
 * {@code logback-test.xml} on the class path (the tests') takes over instead. Either way, {@link #feed} adds the
 * appender that keeps the operator API's rings of recent events.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements ch.qos.logback.classic.spi.Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            // the tests log to a file as well, which their secrets scan searches: let logback read their file
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getProperty("switchboard.log.level"), Level.INFO));
        root.addAppender(stderr);
        for (String noisy : new String[] {"org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb",
                "io.modelcontextprotocol"}) {
            context.getLogger(noisy).setLevel(Level.WARN);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static final String RING_APPENDER = "switchboard-recent";
    private static final CopyOnWriteArrayList<RecentLogs> FED = new CopyOnWriteArrayList<>();

    /**
     * Feeds every INFO-and-above event of this process into {@code rings} until the returned handle is closed.
     * Logging is per process while rings are per server (tests run several servers in one JVM), so one appender
     * on the root logger serves every ring registered here.
     */
    public static AutoCloseable feed(RecentLogs rings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { };
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        synchronized (FED) {
            if (root.getAppender(RING_APPENDER) == null) {
                RingAppender appender = new RingAppender();
                appender.setContext(context);
                appender.setName(RING_APPENDER);
                appender.start();
                root.addAppender(appender);
            }
            FED.add(rings);
        }
        return () -> FED.remove(rings);
    }

    /** Hands each event to the registered rings; the rings drop what is below INFO. */
    private static final class RingAppender extends AppenderBase<ILoggingEvent> {
        @Override
        protected void append(ILoggingEvent event) {
            if (FED.isEmpty() || !event.getLevel().isGreaterOrEqual(Level.INFO)) {
                return;
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            Instant at = Instant.ofEpochMilli(event.getTimeStamp());
            String message = event.getFormattedMessage();
            for (RecentLogs rings : FED) {
                rings.record(at, event.getLevel().toString(), event.getLoggerName(), event.getThreadName(), message,
                        thrown == null ? null : thrown.getClassName());
            }
        }
    }
}
