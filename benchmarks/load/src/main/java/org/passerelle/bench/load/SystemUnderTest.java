package org.passerelle.bench.load;

/**
 * Whose two server processes carry the messages of a run: Passerelle's proxy and gateway, or the
 * reference of two Prosody servers federating over S2S.
 */
public enum SystemUnderTest {
  PASSERELLE("passerelle", "proxy", "gateway", true),
  PROSODY("prosody", "prosody_a", "prosody_b", false);

  final String label;
  final String first;
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
