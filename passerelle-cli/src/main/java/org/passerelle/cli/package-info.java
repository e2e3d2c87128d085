/**
 * The {@code passerelle} command (picocli): {@code proxy} and {@code gateway} run the two
 * processes, {@code check-config} validates a configuration file completely without opening a port,
 * {@code diagnose} shows step by step why federation with a domain works or not. Exit codes: 0 ok,
 * 1 a runtime failure (for {@code diagnose}: federation with the domain does not work), 2 a bad
 * configuration or command line. See docs/running.md and docs/decisions/0011-command-line.md.
 */
package org.passerelle.cli;
