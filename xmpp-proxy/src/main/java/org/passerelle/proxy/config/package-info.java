/** The proxy's configuration: declared once, typed, with defaults and bounds, checked at start. */
package org.passerelle.proxy.config;
