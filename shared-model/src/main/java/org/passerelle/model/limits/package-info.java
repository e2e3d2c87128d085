/**
 * Rate limits both processes apply to what their peers send: XEP-0205 (Best Practices to Discourage
 * Denial of Service Attacks) for XMPP, the same idea for SIP requests.
 */
package org.passerelle.model.limits;
