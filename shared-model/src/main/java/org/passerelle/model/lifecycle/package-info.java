/**
 * Graceful shutdown, as both processes do it (docs/decisions/0013): a process stops accepting new
 * work, lets what is under way finish within {@code shutdown.drain}, then answers what is left with
 * an error and closes its connections. Types only: each process drives its own parts.
 */
package org.passerelle.model.lifecycle;
