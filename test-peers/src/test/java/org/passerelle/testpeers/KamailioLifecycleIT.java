package org.passerelle.testpeers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start and stop of Kamailio, which the SIP tests rely on to leave nothing behind. */
class KamailioLifecycleIT {

  private static final String ADDRESS = "127.0.0.38";

  private static KamailioConfig config() {
    return KamailioConfig.builder("sip.test", ADDRESS).build();
  }

  @Test
  void stopEndsEveryKamailioProcessReleasesItsPortsAndItStartsAgain() {
    try (KamailioPeer kamailio = new KamailioPeer(config())) {
      kamailio.start();
      String workDir = kamailio.workDir().path().toString();
      assertThat(processesOf(workDir)).as("main process and workers").hasSizeGreaterThan(2);

      kamailio.stop();

      assertThat(kamailio.isRunning()).isFalse();
      assertThat(processesOf(workDir)).isEmpty();
      assertThat(Daemons.accepts(kamailio.sipAddress())).isFalse();
      assertThat(Daemons.udpFree(kamailio.sipAddress())).isTrue();

      kamailio.start();

      assertThat(kamailio.isRunning()).isTrue();
      assertThat(SipOptionsProbe.answers(kamailio.sipAddress())).isTrue();
    }
  }

  @Test
  void startRefusesAnAddressWhoseUdpPortIsTaken() throws Exception {
    try (DatagramSocket squatter =
            new DatagramSocket(new InetSocketAddress(ADDRESS, KamailioConfig.DEFAULT_PORT));
        KamailioPeer kamailio = new KamailioPeer(config())) {
      assertThat(squatter.isBound()).isTrue();

      assertThatThrownBy(kamailio::start)
          .isInstanceOf(PeerStartException.class)
          .hasMessageContaining("UDP /" + ADDRESS + ":5060 is in use already");
      assertThat(kamailio.isRunning()).isFalse();
    }
  }

  /** Processes whose command line names a file in {@code workDir}. */
  private static List<ProcessHandle> processesOf(String workDir) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains(workDir))
        .toList();
  }
}
