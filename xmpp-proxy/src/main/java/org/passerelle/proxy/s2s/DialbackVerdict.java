package org.passerelle.proxy.s2s;

/** What the authoritative server answered about a dialback key (XEP-0220 §2.2.2). */
public enum DialbackVerdict {
  VALID,
  INVALID,
  /** The authoritative server could not be reached or did not answer (XEP-0220 §2.5). */
  UNREACHABLE
}
