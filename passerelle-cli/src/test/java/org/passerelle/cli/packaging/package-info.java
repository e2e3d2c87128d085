/**
 * Checks of {@code docker/} that need no Docker engine: the compose file, the Dockerfiles against
 * what the Maven build makes, and the configurations compose mounts. Run by Failsafe, after the
 * modules are packaged.
 */
package org.passerelle.cli.packaging;
