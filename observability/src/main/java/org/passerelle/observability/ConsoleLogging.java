package org.passerelle.observability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;

/**
 * The processes' logging, configured in code (decision 22): one line per event on standard output,
 * {@code HH:mm:ss.SSS proxy INFO [thread] logger - message}, libraries' chatter (dnsjava, Netty,
 * JAIN-SIP) at WARN. Logback's XML configurator cost a third of a second of every cold start; this
 * costs a few milliseconds.
 *
 * <p>A process names itself with {@link #use} first thing in {@code main}, before anything logs;
 * logback then finds this class as a {@link Configurator} service. Operators tune it with system
 * properties: {@code passerelle.log.level} (the root level, INFO by default) and {@code
 * passerelle.log.stanzas} (the per-stanza loggers, {@code org.passerelle.proxy.stanzas} and {@code
 * org.passerelle.gateway.stanzas}: WARN silences them at high rates). {@code
 * -Dlogback.configurationFile=…} still configures logback from an XML file, as logback documents;
 * this class then stands aside, as it does in tests and tools, which have their own files.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

  /** The system property naming the process whose format to use. */
  public static final String PROCESS = "passerelle.process";

  static final String LEVEL = "passerelle.log.level";
  static final String STANZAS = "passerelle.log.stanzas";
  static final String LOGBACK_FILE = "logback.configurationFile";

  /** Loggers that say too much at INFO: dnsjava, Netty, JAIN-SIP. */
  private static final String[] QUIET = {"org.xbill.DNS", "io.netty", "gov.nist"};

  private static final String[] STANZA_LOGGERS = {
    "org.passerelle.proxy.stanzas", "org.passerelle.gateway.stanzas"
  };

  /**
   * Logs as {@code process} ({@code proxy} or {@code gateway}) unless an XML file was named with
   * {@code -Dlogback.configurationFile}. Call before anything logs.
   */
  public static void use(String process) {
    if (System.getProperty(LOGBACK_FILE) == null) {
      System.setProperty(PROCESS, process);
    }
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    String process = System.getProperty(PROCESS);
    if (process == null || System.getProperty(LOGBACK_FILE) != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(
        "%d{HH:mm:ss.SSS} "
            + String.format(Locale.ROOT, "%-7s", process)
            + " %-5level [%thread] %logger{20} - %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("STDOUT");
    console.setEncoder(encoder);
    console.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(level(LEVEL, Level.INFO));
    root.addAppender(console);
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    String stanzas = System.getProperty(STANZAS);
    if (stanzas != null) {
      for (String name : STANZA_LOGGERS) {
        context.getLogger(name).setLevel(level(STANZAS, Level.INFO));
      }
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** A level property's value; an unknown one is reported and the default kept. */
  private Level level(String property, Level defaultLevel) {
    String value = System.getProperty(property);
    if (value == null) {
      return defaultLevel;
    }
    Level level = Level.toLevel(value.trim(), null);
    if (level == null) {
      addWarn("-D" + property + "=" + value + " is not a level; using " + defaultLevel);
      return defaultLevel;
    }
    return level;
  }
}
