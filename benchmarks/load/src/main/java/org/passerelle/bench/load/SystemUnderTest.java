package org.passerelle.bench.load;

/**
 * Whose two server processes carry the messages of a run: Passerelle's proxy and gateway, the two
 * bare relays of the floor measurement ({@link RelayMain}) in their places, or the reference of two
 * Prosody servers federating over S2S. Each names its processes in the reports' fields.
 */
public enum SystemUnderTest {
  /** The proxy and the gateway, each its own process. */
  PASSERELLE("passerelle", "proxy", "gateway", true),
  /**
   * Two bare relays that forward bytes without parsing, in the place of the proxy and the gateway:
   * the floor that any two-process TLS path pays.
   */
  RELAY("relay", "relay1", "relay2", true),
  /** Prosody A (the senders' server) and Prosody B (the receivers'), over S2S. */
  PROSODY("prosody", "prosody_a", "prosody_b", false);

  /** The value of the reports' {@code system} field. */
  final String label;

  /** The prefix of the first process's fields in the reports. */
  final String first;

  /** The prefix of the second process's fields. */
  final String second;

  /** Whether the processes are JVMs with a GC log and a readiness time to report. */
  final boolean jvm;

  SystemUnderTest(String label, String first, String second, boolean jvm) {
    this.label = label;
    this.first = first;
    this.second = second;
    this.jvm = jvm;
  }

  public String label() {
    return label;
  }
}
