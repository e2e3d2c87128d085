package org.passerelle.proxy.diagnose;

import java.util.Locale;

/** How one check came out. */
public enum Status {
  /** As it should be. */
  OK,
  /** Works, but something the remote operator (or we) should fix. */
  WARN,
  /** Federation fails here. */
  FAIL,
  /** Not tried: an earlier step failed, or the policy does not use it. */
  SKIPPED;

  /** The label in the text report. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
