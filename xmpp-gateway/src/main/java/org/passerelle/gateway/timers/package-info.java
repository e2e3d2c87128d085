/**
 * Timers for many long-lived subscriptions at a few bytes each: {@link
 * org.passerelle.gateway.timers.Deadlines} keeps items by whole tick instead of one scheduled task
 * per timer (docs/decisions/0015-subscription-deadlines-by-the-second.md).
 */
package org.passerelle.gateway.timers;
