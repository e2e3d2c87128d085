package org.passerelle.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
  private Properties saved;

  @BeforeEach
  void saveProperties() {
    saved = (Properties) System.getProperties().clone();
    System.clearProperty(ConsoleLogging.PROCESS);
    System.clearProperty(ConsoleLogging.LOGBACK_FILE);
    System.clearProperty(ConsoleLogging.LEVEL);
    System.clearProperty(ConsoleLogging.STANZAS);
  }

  @AfterEach
  void restoreProperties() {
    System.setProperties(saved);
  }

  private static ExecutionStatus configure(LoggerContext context) {
    ConsoleLogging logging = new ConsoleLogging();
    logging.setContext(context);
    return logging.configure(context);
  }

  @Test
  void aProcessLogsItsLinesToTheConsoleWithItsName() {
    ConsoleLogging.use("proxy");
    LoggerContext context = new LoggerContext();

    assertThat(configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDOUT");
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
        .isEqualTo("%d{HH:mm:ss.SSS} proxy   %-5level [%thread] %logger{20} - %msg%n");
    assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("gov.nist").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.passerelle.gateway.stanzas").getLevel()).isNull();
  }

  @Test
  void levelsComeFromSystemProperties() {
    ConsoleLogging.use("gateway");
    System.setProperty(ConsoleLogging.LEVEL, "debug");
    System.setProperty(ConsoleLogging.STANZAS, "WARN");
    LoggerContext context = new LoggerContext();

    configure(context);

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    assertThat(context.getLogger("org.passerelle.gateway.stanzas").getLevel())
        .isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.passerelle.proxy.stanzas").getLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void anUnknownLevelKeepsTheDefaultAndSaysSo() {
    ConsoleLogging.use("gateway");
    System.setProperty(ConsoleLogging.LEVEL, "LOUD");
    LoggerContext context = new LoggerContext();

    configure(context);

    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getStatusManager().getCopyOfStatusList())
        .anySatisfy(status -> assertThat(status.getMessage()).contains("LOUD is not a level"));
  }

  @Test
  void anOperatorsXmlFileWins() {
    System.setProperty(ConsoleLogging.LOGBACK_FILE, "/etc/passerelle/logback.xml");
    ConsoleLogging.use("proxy");

    assertThat(System.getProperty(ConsoleLogging.PROCESS)).isNull();
    LoggerContext context = new LoggerContext();
    assertThat(configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT")).isNull();
  }

  @Test
  void withoutAProcessItStandsAsideForTestsAndTools() {
    LoggerContext context = new LoggerContext();

    assertThat(configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }
}
