/**
 * The processes' Netty event loops: NIO loops that coalesce their wake-ups while input trickles in
 * ({@code io.coalesce}, decision 20), and the count of their passes for the metrics.
 */
package org.passerelle.stream.loop;
