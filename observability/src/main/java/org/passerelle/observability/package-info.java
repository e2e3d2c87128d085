/**
 * What both processes show operators: an admin HTTP endpoint ({@link
 * org.passerelle.observability.AdminServer}) serving Prometheus metrics ({@link
 * org.passerelle.observability.ProcessMetrics}), liveness and readiness ({@link
 * org.passerelle.observability.Readiness}) and a read-only status page ({@link
 * org.passerelle.observability.HtmlPage}). See docs/decisions/0012-observability.md.
 */
package org.passerelle.observability;
