package org.passerelle.proxy.hostile;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every attack test shares: a {@link HostileFederation} for the class, and for each test a
 * well-behaved {@link Traffic} that runs through the attack. After each test the attackers are gone
 * and b.test holds exactly the connections it held before.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UnderAttack {
  @TempDir static Path dir;

  HostileFederation federation;
  Traffic traffic;
  private int connectionsBefore;

  @BeforeAll
  void startFederation() throws Exception {
    federation = HostileFederation.start(dir);
  }

  @AfterAll
  void stopFederation() {
    if (federation != null) {
      federation.close();
    }
  }

  @BeforeEach
  void startTraffic() {
    connectionsBefore = federation.b.inboundConnections();
    traffic = federation.traffic();
  }

  @AfterEach
  void stopTraffic() throws InterruptedException {
    traffic.close();
    federation.reset(connectionsBefore);
  }
}
