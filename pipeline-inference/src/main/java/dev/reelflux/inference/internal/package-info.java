/** Implementation details of {@code dev.reelflux.inference}; not API, may change without notice. */
package dev.reelflux.inference.internal;
