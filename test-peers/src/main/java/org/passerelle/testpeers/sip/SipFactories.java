package org.passerelle.testpeers.sip;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/** JAIN-SIP's factories for addresses, headers and messages (NIST implementation). */
record SipFactories(AddressFactory addresses, HeaderFactory headers, MessageFactory messages) {

  static SipFactories create() {
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    try {
      return new SipFactories(
          factory.createAddressFactory(),
          factory.createHeaderFactory(),
          factory.createMessageFactory());
    } catch (PeerUnavailableException e) {
      throw new IllegalStateException("no JAIN-SIP implementation", e);
    }
  }
}
