package org.passerelle.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StartupPhasesTest {

  @Test
  void readyLineNamesEveryPhaseInTheOrderTheyEnded() throws Exception {
    StartupPhases phases = StartupPhases.untimedJvm();
    phases.mark("config");
    CompletableFuture<String> store = phases.inBackground("store", () -> "opened");
    phases.mark("tls");
    assertThat(StartupPhases.join(store)).isEqualTo("opened");
    phases.mark("sip");

    String line = phases.readyLine().orElseThrow();

    assertThat(line)
        .startsWith("ready in ")
        .contains("(JVM 0 ms before main; config ")
        .containsPattern("config \\d+, .*sip \\d+\\)$")
        .contains("store ", "tls ");
  }

  @Test
  void readyLineIsGivenOnceSoThatALinkComingBackDoesNotRepeatIt() {
    StartupPhases phases = StartupPhases.untimedJvm();
    phases.mark("admin");

    assertThat(phases.readyLine()).isPresent();
    assertThat(phases.readyLine()).isEmpty();
  }

  @Test
  void joinRethrowsWhatTheBackgroundPhaseThrewAsItself() {
    StartupPhases phases = StartupPhases.untimedJvm();
    CompletableFuture<Object> io =
        phases.inBackground(
            "store",
            () -> {
              throw new IOException("no such database");
            });
    CompletableFuture<Object> unchecked =
        phases.inBackground(
            "metrics",
            () -> {
              throw new IllegalArgumentException("bad");
            });

    assertThatThrownBy(() -> StartupPhases.join(io))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("no such database");
    assertThatThrownBy(() -> StartupPhases.join(unchecked))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad");
  }

  @Test
  void timeBeforeMainComesFromTheRuntime() {
    long sinceLaunch = StartupPhases.startingNow().sinceLaunchMillis();

    assertThat(sinceLaunch).isPositive();
  }
}
