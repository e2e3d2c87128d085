/**
 * What the gateway shows operators: its meters ({@link
 * org.passerelle.gateway.admin.GatewayMetrics}), readiness and status page ({@link
 * org.passerelle.gateway.admin.GatewayAdmin}), served by the admin endpoint of the {@code
 * observability} module. The translation and SIP packages only call their observer interfaces
 * ({@code ImEvents}, {@code SipTransactionEvents}); the link is counted by decorators.
 */
package org.passerelle.gateway.admin;
