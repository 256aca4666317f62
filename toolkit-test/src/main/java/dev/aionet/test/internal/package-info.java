/**
 * Implementation detail of aionet's test kit; not API; may change in any release. The virtual
 * clock's event loop, the thread that drives it, and the leak and task reports.
 */
package dev.aionet.test.internal;
