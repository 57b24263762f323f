package org.barecat.cli;

import ch.qos.logback.classic.ClassicConstants;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The launchers' logging (Logback), set up in code so that starting a mount parses no XML: one line
 * per event, {@code 2026-01-02 03:04:05.678 [WARN] message}, INFO and above (SQLite's driver WARN and
 * above), on stderr, which is the journal under systemd. A background daemon moves it to its
 * {@code --log} file once detached ({@link #toFile}). Logback finds this class through
 * META-INF/services; an admin's {@code -Dlogback.configurationFile} replaces all of it.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    private static final String STDERR = "stderr";
    /** A log file is rolled past this size, keeping this many old ones: FILE.1 (the newest) to FILE.3. */
    static final FileSize MAX_FILE_SIZE = FileSize.valueOf("10MB");
    static final int OLD_FILES = 3;

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (adminConfigured()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // Logback's own configurator reads it
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(STDERR);
        console.setTarget("System.err");
        console.setEncoder(encoder(context));
        console.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        context.getLogger("org.sqlite").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN); // barecat serve: its start-up lines are noise
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * From now on logs to {@code file}, appending, instead of stderr; past {@link #MAX_FILE_SIZE} the
     * file becomes FILE.1 (FILE.1 becomes FILE.2, and so on) and a new one starts. Leaves an admin's
     * configuration alone.
     */
    static void toFile(Path file) {
        if (adminConfigured()) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        String name = file.toAbsolutePath().toString();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName("file");
        appender.setFile(name);
        appender.setAppend(true);
        appender.setEncoder(encoder(context));
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(name.replace("%", "\\%") + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(OLD_FILES);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(MAX_FILE_SIZE);
        trigger.start();
        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(appender);
        root.detachAppender(STDERR);
    }

    private static boolean adminConfigured() {
        return System.getProperty(ClassicConstants.CONFIG_FILE_PROPERTY) != null;
    }

    private static Encoder<ILoggingEvent> encoder(Context context) {
        LineLayout layout = new LineLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    /**
     * The pattern {@code %d{yyyy-MM-dd HH:mm:ss.SSS} [%level] %msg%n%ex} written out in code: a pattern
     * would be parsed and its converters made by reflection as the daemon starts.
     */
    static final class LineLayout extends LayoutBase<ILoggingEvent> {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String doLayout(ILoggingEvent event) {
            StringBuilder line = new StringBuilder(128);
            TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()), line);
            line.append(" [").append(event.getLevel()).append("] ").append(event.getFormattedMessage())
                    .append(CoreConstants.LINE_SEPARATOR);
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
            }
            return line.toString();
        }
    }
}
