/**
 * The gateway's own worker threads: each one thread with a bounded queue, so that a burst waits in
 * a known amount of memory and what does not fit is refused where it came from.
 */
package org.passerelle.gateway.threads;
