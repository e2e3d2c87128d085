/**
 * What the proxy shows operators: its meters ({@link org.passerelle.proxy.admin.ProxyMetrics}),
 * readiness and status page ({@link org.passerelle.proxy.admin.ProxyAdmin}), served by the admin
 * endpoint of the {@code observability} module. The protocol packages only call their observer
 * interfaces ({@code S2sEvents}, {@code LinkEvents}, {@code RoutingEvents}, {@code PolicyEvents});
 * nothing here is on their path but a counter increment.
 */
package org.passerelle.proxy.admin;
