/**
 * The gateway's configuration: declared once, typed, with defaults and bounds, checked at start.
 */
package org.passerelle.gateway.config;
