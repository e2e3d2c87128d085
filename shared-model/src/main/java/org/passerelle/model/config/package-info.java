/**
 * Reading configuration files: YAML, every key declared with its type and default, unknown keys
 * refused, and every error naming the key and saying what is wrong — at start, before any port
 * opens.
 */
package org.passerelle.model.config;
